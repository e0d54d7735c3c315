import { CATEGORIES, KINDS } from './index';
import { CHIPS } from './chips';
import { MPU_ARCHS } from './mpu';
import type { ParamDef } from './types';

function range(p: ParamDef): string {
  switch (p.type) {
    case 'number':
    case 'integer':
      return `${p.min} – ${p.max}${p.type === 'integer' ? ' (whole)' : ''}`;
    case 'enum':
      return p.options.map((o) => `\`${o.value}\``).join(', ');
    case 'boolean':
      return 'true / false';
    case 'string':
      return `text ≤ ${p.maxLength}`;
    case 'nodeRef':
      return `id of a ${p.refKinds.join(' / ')}`;
  }
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The catalog as a Markdown reference (docs/catalog.md is generated from it; a test checks they agree). */
export function catalogMarkdown(): string {
  const out: string[] = [
    '# Catalog reference',
    '',
    'Generated from `src-shared/catalog` by `npm run gen:schema`; do not edit by hand. Tags: **V** checked in a public',
    'source, **M** measured, **E** estimate (see `tock-model.md`). Kernel defaults shown are the STM32F429 preset;',
    'the chip presets below replace them.',
  ];
  for (const c of CATEGORIES) {
    out.push('', `## ${c.label}`);
    for (const k of KINDS.filter((x) => x.category === c.id)) {
      out.push('', `### \`${k.kind}\` — ${k.label}`, '', k.description, '');
      const ports = k.ports.map((p) => `\`${p.id}\` (${p.direction}${p.direction === 'out' ? `, ${p.type}` : `, takes ${p.accepts?.join('/')}`}${p.max ? `, max ${p.max}` : ''})`);
      out.push(`Placement: ${k.placement === 'kernel' ? 'inside a kernel' : k.placement === 'root' ? 'outside kernels' : 'anywhere'}${k.scope ? ` · scope: ${k.scope}` : ''} · ports: ${ports.join(', ') || 'none'}`, '');
      out.push('| key | unit | default | range | source |', '|---|---|---|---|---|');
      for (const p of k.params) {
        const dflt = p.required ? '*(required)*' : `\`${String(p.default)}\``;
        out.push(`| \`${p.key}\` | ${p.unit ?? ''} | ${dflt} | ${cell(range(p))} | ${p.source.tag}: ${cell(p.source.ref)} |`);
      }
    }
  }
  out.push('', '## Chip presets', '', '| chip | core | values |', '|---|---|---|');
  for (const chip of Object.values(CHIPS)) {
    const vals = Object.entries(chip.values).map(([k, v]) => `${k}=${String(v.value)} (${v.source.tag})`);
    out.push(`| \`${chip.id}\` | ${chip.core} | ${vals.join(', ')} |`);
  }
  out.push('', '## MPU / PMP architectures', '', '| id | regions | rule | min / granule | own | free for IPC |', '|---|---|---|---|---|---|');
  for (const a of Object.values(MPU_ARCHS)) {
    out.push(`| \`${a.id}\` ${a.label} | ${a.regions} | ${a.rule} | ${a.minRegionBytes} B | ${a.usedPerProcess} | ${Math.min(a.regions - a.usedPerProcess, 6)} |`);
  }
  return `${out.join('\n')}\n`;
}
