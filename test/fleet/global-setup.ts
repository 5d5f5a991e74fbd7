// Says once whether the fleet tests (a real ClickHouse server) can run here.
// CI sets LENS_REQUIRE_FLEET=1: there a missing server fails the run instead.

import { clickhouseVersion, FLEET_SKIPPED } from '../helpers/clickhouse';

export default function setup(): void {
  if (clickhouseVersion()) return;
  if (process.env.LENS_REQUIRE_FLEET === '1') throw new Error(`${FLEET_SKIPPED}; LENS_REQUIRE_FLEET=1 requires them`);
  process.stdout.write(`\n${FLEET_SKIPPED}\n\n`);
}
