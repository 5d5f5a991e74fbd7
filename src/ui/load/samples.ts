// Real logs bundled with the app (copied from the project's corpus).

export interface Sample {
  file: string;
  title: string;
  description: string;
}

export const SAMPLES: Sample[] = [
  {
    file: 'audit-enriched.log',
    title: 'auditd log (Debian default format)',
    description: 'Every filesystem right, mounts, ioctl, TCP, signals, sockets, ptrace, three nested sandboxes, a service that cannot write its log, busy loops.',
  },
  {
    file: 'audit-node-web01.log',
    title: 'auditd log from host web-01',
    description: 'The same workloads with node= host names, as a central log server stores them.',
  },
  {
    file: 'audit-raw.log.1.gz',
    title: 'Rotated, compressed audit.log.1.gz',
    description: 'A raw-format log as logrotate leaves it.',
  },
  {
    file: 'journalctl-k.json',
    title: 'journalctl -k -o json',
    description: 'Kernel messages from the systemd journal, without auditd.',
  },
  {
    file: 'dmesg.txt',
    title: 'Rate-limited dmesg',
    description: 'A kernel ring buffer that lost records: see how the gaps are accounted for.',
  },
];

export function sampleUrl(file: string): string {
  return new URL(`samples/${file}`, document.baseURI).href;
}
