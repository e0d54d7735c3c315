import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useContext } from 'react';
import { getKind, type PortDef } from '../../../src-shared/catalog';
import { useNodeOverlay } from '../../run/hooks';
import { sameCardProps, type StudioFlowNode, type StudioNodeData } from '../flow';
import { LodContext, lodName } from '../lod';

function portTitle(p: PortDef): string {
  return p.direction === 'in' ? `${p.label} (in: takes ${p.accepts?.join(', ')})` : `${p.label} (out: ${p.type}${p.max ? `, at most ${p.max}` : ''})`;
}

/**
 * A port drawn without React Flow's `Handle` (zoomed out, see LodContext): the same element, classes and data
 * attributes, so React Flow measures it where the handle would be, but nothing to connect from.
 */
function StaticPort({ type, id }: { type: 'source' | 'target'; id: string }) {
  const side = type === 'target' ? Position.Left : Position.Right;
  return <div className={`react-flow__handle react-flow__handle-${side} nodrag nopan port-handle ${type === 'target' ? 'in' : 'out'} ${type}`} data-handleid={id} data-handlepos={side} />;
}

/**
 * A process, service, mechanism, pattern, peripheral or fault on the canvas: icon, name, key parameters, ports.
 * Also drawn outside React Flow, for the cards a dragged kernel carries (MovingKernel; with `LodContext` true, as
 * React Flow's `Handle` needs its node).
 */
export function StudioCard({ data, selected }: { data: StudioNodeData; selected: boolean }) {
  const { node, summary, lint, badge } = data;
  const result = useNodeOverlay(node.id);
  const lod = useContext(LodContext);
  const kind = getKind(node.kind);
  if (!kind) return <div className="snode snode-unknown">{node.kind}?</div>;
  const ins = kind.ports.filter((p) => p.direction === 'in');
  const outs = kind.ports.filter((p) => p.direction === 'out');
  const rows = Math.max(ins.length, outs.length);
  return (
    <div className={`snode cat-${kind.category}${selected ? ' is-selected' : ''}${lint ? ` has-${lint}` : ''}${result?.tone === 'danger' ? ' has-result-danger' : ''}`} data-testid={`node-${node.id}`} data-name={lodName(node.name)}>
      <div className="snode-head" title={`${kind.label}: ${kind.description}`}>
        <span className={`kind-icon cat-${kind.category}`}>{kind.icon}</span>
        <span className="snode-name" title={node.name}>
          {node.name}
        </span>
        {lint && <span className={`lint-dot ${lint}`} title={lint === 'error' ? 'Has errors (see Problems)' : 'Has warnings (see Problems)'} />}
      </div>
      <div className="snode-summary" title={summary}>
        {summary}
      </div>
      {badge && <div className="snode-badge">{badge}</div>}
      {result && (
        <div className={`snode-result tone-${result.tone}`} title={result.title} data-testid={`result-${node.id}`}>
          {result.badge}
        </div>
      )}
      {rows > 0 && (
        <div className="snode-ports">
          {Array.from({ length: rows }, (_, i) => (
            <div className="snode-port-row" key={i}>
              <span className="port-label in">{ins[i] ? ins[i].label : ''}</span>
              <span className="port-label out">{outs[i] ? outs[i].label : ''}</span>
              {ins[i] && (lod ? <StaticPort type="target" id={ins[i].id} /> : <Handle type="target" position={Position.Left} id={ins[i].id} className="port-handle in" title={portTitle(ins[i])} />)}
              {outs[i] && (lod ? <StaticPort type="source" id={outs[i].id} /> : <Handle type="source" position={Position.Right} id={outs[i].id} className="port-handle out" title={portTitle(outs[i])} />)}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function StudioNodeView({ data, selected }: NodeProps<StudioFlowNode>) {
  return <StudioCard data={data} selected={selected} />;
}

export const StudioNode = memo(StudioNodeView, sameCardProps);
