// New, gone and changed denials between the two runs.

import type { DiffResult, DiffRow } from '../../analysis/diff';
import { DIFF_KEY_TEXT, diffHeadline } from '../../analysis/diff-report';
import { rightInfo } from '../../model/rights';
import { count } from '../common/format';
import { Text } from '../common/Text';
import '../common/data-table.css';

function Table({ title, kind, rows }: { title: string; kind: 'added' | 'gone' | 'changed'; rows: DiffRow[] }) {
  return (
    <section className={`compare-table-wrap ${kind}`} aria-label={title} data-testid={`compare-${kind}`}>
      <h3>
        {title} <span className="muted">({count(rows.length)})</span>
      </h3>
      {rows.length === 0 ? (
        <p className="small muted">None.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Right</th>
              <th scope="col">Object</th>
              <th scope="col">Program</th>
              <th scope="col">Domain created by</th>
              <th scope="col" className="num">
                Baseline
              </th>
              <th scope="col" className="num">
                New
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.program}\0${r.creator}\0${r.right}\0${r.object}`} data-testid="compare-row" data-object={r.object} data-right={r.right}>
                <td>
                  <code>{rightInfo(r.right).short}</code>
                </td>
                <td className="compare-object">
                  <Text value={r.object} />
                  {r.examples.some((x) => x !== r.object) && (
                    <div className="small muted">
                      as logged: <Text value={r.examples.join(', ')} />
                    </div>
                  )}
                </td>
                <td>
                  <Text value={r.program} />
                </td>
                <td>
                  <Text value={r.creator} />
                </td>
                <td className="num">{count(r.before)}</td>
                <td className="num">{count(r.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function DiffTables({ d }: { d: DiffResult }) {
  return (
    <div className="compare-diff" data-testid="compare-diff">
      <p className="compare-headline" data-testid="compare-headline">
        <strong>{diffHeadline(d)}</strong>
      </p>
      <p className="small muted">{DIFF_KEY_TEXT}</p>
      <Table title="New denials" kind="added" rows={d.added} />
      <Table title="Gone" kind="gone" rows={d.gone} />
      <Table title="Changed in count" kind="changed" rows={d.changed} />
    </div>
  );
}
