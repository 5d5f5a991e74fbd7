import { escapeControl, hasControl } from '../../model/display';

/**
 * Log text (paths, commands, names) is attacker-controlled: it is always
 * rendered as a React text node, with control characters and direction
 * overrides shown as visible escapes.
 */
export function Text({ value, className }: { value: string | undefined; className?: string }) {
  if (value === undefined) return null;
  if (!hasControl(value)) return className ? <span className={className}>{value}</span> : <>{value}</>;
  return (
    <span className={className ? `${className} escaped` : 'escaped'} title="Contains control or direction characters, shown escaped">
      {escapeControl(value)}
    </span>
  );
}
