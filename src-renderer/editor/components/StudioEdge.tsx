import { BaseEdge, type EdgeProps } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import { useEdgeOverlay } from '../../run/hooks';
import { edgeLabel, type EdgeOverlay } from '../../../src-shared/results/overlay';
import type { StudioFlowEdge } from '../flow';
import { edgeGeometry, type EdgeEnds } from '../lod';

const FONT_SIZE = 10.5;
const PAD_X = 5;
const PAD_Y = 2;
/** Height of a line of label text (the text's box at FONT_SIZE). */
const LINE_HEIGHT = 13;

const LABEL: CSSProperties = { fill: 'var(--edge-label-text)', fontSize: FONT_SIZE, fontWeight: 500 };
const LABEL_BG: CSSProperties = { fill: 'var(--edge-label-bg)', stroke: 'var(--edge-label-border)', strokeWidth: 1 };
const LOST_LABEL: CSSProperties = { fill: 'var(--danger)', fontSize: FONT_SIZE, fontWeight: 600 };
const LOST_LABEL_BG: CSSProperties = { fill: 'var(--danger-soft-solid)', stroke: 'var(--danger-border)', strokeWidth: 1 };

const widths = new Map<string, number>();
let measure: CanvasRenderingContext2D | null | undefined;

/**
 * The width of a label's text, measured once per distinct text on a canvas. React Flow's own edge label measures
 * itself with getBBox each time it appears, which forces a layout in the middle of a drag's frame (labels come and
 * go as edges stretch past their label's width).
 */
function textWidth(text: string, lost: boolean): number {
  const weight = lost ? LOST_LABEL.fontWeight : LABEL.fontWeight;
  const key = `${weight}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    measure ??= document.createElement('canvas').getContext('2d');
    if (measure) {
      measure.font = `${weight} ${FONT_SIZE}px ${getComputedStyle(document.documentElement).fontFamily}`;
      w = measure.measureText(text).width;
    } else w = text.length * 5.8; // no canvas (tests): the average glyph width
    widths.set(key, w);
  }
  return w;
}

/** What an edge draws: its path (with the arrow `markerEnd`) and label, given its ends and its run results. */
export interface EdgeDrawingProps extends EdgeEnds {
  data: StudioFlowEdge['data'];
  selected: boolean | undefined;
  markerEnd: string | undefined;
  result: EdgeOverlay | undefined;
  /** Width of the invisible path that takes clicks (0: none). */
  interactionWidth: number;
  id?: string;
}

/**
 * The drawing of an edge, shared by React Flow's edges and the layer that carries the edges of a dragged kernel
 * (MovingKernel).
 */
export function EdgeDrawing({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd, result, interactionWidth }: EdgeDrawingProps) {
  // Drawn relative to its source port, in a group translated there: an edge that moves without changing shape
  // then changes only that translation, which the browser applies without laying out the path. The offset is
  // rounded to 1/100 unit so that equal shapes give equal paths.
  const dx = Math.round((targetX - sourceX) * 100) / 100;
  const dy = Math.round((targetY - sourceY) * 100) / 100;
  const [path, labelX, labelY] = edgeGeometry({ sourceX: 0, sourceY: 0, targetX: dx, targetY: dy, sourcePosition, targetPosition });
  const length = Math.hypot(dx, dy);
  const lost = (result?.lost ?? 0) > 0;
  // An edge shorter than its label hides it unless selected. Zoomed out, the canvas hides mechanism labels
  // (`kind-label`) by CSS; selected edges and results keep theirs.
  const text = data?.label && (selected || length >= textWidth(data.label, false) + 28) ? data.label : '';
  const label = edgeLabel(text, result, data?.p99Ns);
  const w = label ? textWidth(label, lost) : 0;
  return (
    <g transform={`translate(${sourceX} ${sourceY})`}>
      <BaseEdge
        {...(id ? { id } : {})}
        path={path}
        markerEnd={markerEnd}
        className={`studio-edge cat-${data?.category ?? 'none'}${selected ? ' is-selected' : ''}${lost ? ' has-lost' : ''}`}
        interactionWidth={interactionWidth}
      />
      {label && (
        <g className={`react-flow__edge-textwrapper${label === text ? ' kind-label' : ''}`} transform={`translate(${labelX} ${labelY})`}>
          <rect className="react-flow__edge-textbg" x={-w / 2 - PAD_X} y={-LINE_HEIGHT / 2 - PAD_Y} width={w + 2 * PAD_X} height={LINE_HEIGHT + 2 * PAD_Y} rx={4} ry={4} style={lost ? LOST_LABEL_BG : LABEL_BG} />
          <text className="react-flow__edge-text" textAnchor="middle" dy="0.3em" style={lost ? LOST_LABEL : LABEL}>
            {label}
          </text>
        </g>
      )}
    </g>
  );
}

/** A connection, labelled with the mechanism that carries it (and its p99 latency and lost messages once a run has them). */
function StudioEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<StudioFlowEdge>) {
  const result = useEdgeOverlay(id);
  return <EdgeDrawing id={id} sourceX={sourceX} sourceY={sourceY} targetX={targetX} targetY={targetY} sourcePosition={sourcePosition} targetPosition={targetPosition} data={data} selected={selected} markerEnd={markerEnd} result={result} interactionWidth={16} />;
}

export const StudioEdge = memo(StudioEdgeView);
