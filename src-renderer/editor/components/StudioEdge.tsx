import { BaseEdge, getBezierPath, useStore, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useEdgeOverlay } from '../../run/hooks';
import { edgeLabel } from '../../run/overlay';
import type { StudioFlowEdge } from '../flow';

/** Rough width of a label at 10.5 px (flow units): an edge shorter than its label hides it unless selected. */
function labelFits(label: string, length: number): boolean {
  return length >= label.length * 5.8 + 28;
}

const LABEL = { fill: 'var(--edge-label-text)', fontSize: 10.5, fontWeight: 500 };
const LABEL_BG = { fill: 'var(--edge-label-bg)', stroke: 'var(--edge-label-border)', strokeWidth: 1 };
const LOST_LABEL = { fill: 'var(--danger)', fontSize: 10.5, fontWeight: 600 };
const LOST_LABEL_BG = { fill: 'var(--danger-soft-solid)', stroke: 'var(--danger-border)', strokeWidth: 1 };

/** A connection, labelled with the mechanism that carries it (and its p99 latency and lost messages once a run has them). */
function StudioEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<StudioFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const length = Math.hypot(targetX - sourceX, targetY - sourceY);
  const result = useEdgeOverlay(id);
  const legible = useStore((s) => s.transform[2] >= 0.5);
  const text = data?.label && (selected || (legible && labelFits(data.label, length))) ? data.label : '';
  const label = edgeLabel(text, result, data?.p99Ns);
  const lost = (result?.lost ?? 0) > 0;
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      className={`studio-edge cat-${data?.category ?? 'none'}${selected ? ' is-selected' : ''}${lost ? ' has-lost' : ''}`}
      label={label || undefined}
      labelX={labelX}
      labelY={labelY}
      labelShowBg
      labelBgPadding={[5, 2]}
      labelBgBorderRadius={4}
      labelStyle={lost ? LOST_LABEL : LABEL}
      labelBgStyle={lost ? LOST_LABEL_BG : LABEL_BG}
      interactionWidth={16}
    />
  );
}

export const StudioEdge = memo(StudioEdgeView);
