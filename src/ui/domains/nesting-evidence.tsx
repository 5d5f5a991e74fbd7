// What the log shows about a domain's nesting, in the domain detail: the
// proven outer domain with the records that prove it, relations the log
// cannot settle ("possibly", never drawn in the tree), and evidence set aside
// because other records contradict it.
//
// Log text is attacker-controlled: React text or <Text/> only (ids, pids and
// serials here are numbers or hex, the explanations quote no log strings).

import type { EvidenceRecord, ParentEvidence, PossibleRelation } from '../../analysis/nesting';
import { time, utc } from '../common/format';
import { Text } from '../common/Text';
import './nesting-evidence.css';

const RECORD_LABEL: Record<EvidenceRecord['record'], string> = {
  access: 'denial',
  allocation: 'creation',
  deallocation: 'freeing',
};

export function EvidenceRecords({ records }: { records: EvidenceRecord[] }) {
  return (
    <ul className="dom-evidence-records small" data-testid="evidence-records">
      {records.map((r, i) => (
        <li key={i} data-serial={r.serial ?? ''}>
          {RECORD_LABEL[r.record]} record of domain <span className="mono">{r.domain}</span>
          {r.pid !== undefined && ` · pid ${r.pid}`}
          {r.ppid !== undefined && ` (parent ${r.ppid})`} · <time title={utc(r.timeMs)}>{time(r.timeMs)}</time>
          {r.serial !== undefined && ` · serial ${r.serial}`}
          {r.line !== undefined && ` · line ${r.line}`}
        </li>
      ))}
    </ul>
  );
}

export function ParentProof({ evidence, id }: { evidence: ParentEvidence; id?: string }) {
  return (
    <div className="dom-reason" id={id} data-testid="parent-reason" data-kind={evidence.kind}>
      <p>
        <span className="dom-reason-label">How the log shows it:</span> <Text value={evidence.text} />
      </p>
      <EvidenceRecords records={evidence.records} />
    </div>
  );
}

export function PossiblyRelated({ possible, conflicts, onSelect }: { possible: PossibleRelation[]; conflicts: string[]; onSelect: (id: string) => void }) {
  if (possible.length === 0 && conflicts.length === 0) return null;
  return (
    <>
      {possible.map((p) => (
        <div key={p.domain} className="dom-possible small" data-testid="possibly-related" data-kind={p.kind} data-domain={p.domain}>
          Possibly related to{' '}
          <button type="button" className="link-button dom-id" onClick={() => onSelect(p.domain)} title={`Show domain ${p.domain}`}>
            {p.domain}
          </button>{' '}
          (not drawn as nesting): <Text value={p.text} />
        </div>
      ))}
      {conflicts.map((c, i) => (
        <div key={`c${i}`} className="dom-possible small" data-testid="nesting-conflict">
          <Text value={c} />
        </div>
      ))}
    </>
  );
}
