import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useCallback } from 'react';
import { useStudio } from '../context';
import { useNodeOverlay } from '../../run/hooks';
import { sameCardProps, type StudioFlowNode } from '../flow';
import { MIN_KERNEL_SIZE } from '../geometry';

/** A kernel: a container for the processes and kernel-local mechanisms of one core; resizable when selected. */
function KernelNodeView({ data, selected }: NodeProps<StudioFlowNode>) {
  const { editor } = useStudio();
  const { node, summary, lint } = data;
  const result = useNodeOverlay(node.id);
  const onStart = useCallback(() => editor.getState().beginGesture('Resize'), [editor]);
  const onEnd = useCallback(() => void editor.getState().endGesture(), [editor]);
  return (
    <>
      <NodeResizer isVisible={!!selected} minWidth={MIN_KERNEL_SIZE.width} minHeight={MIN_KERNEL_SIZE.height} onResizeStart={onStart} onResizeEnd={onEnd} lineClassName="kernel-resize-line" handleClassName="kernel-resize-handle" />
      <div className={`kernel${selected ? ' is-selected' : ''}${lint ? ` has-${lint}` : ''}`} data-testid={`node-${node.id}`}>
        <div className="kernel-head">
          <span className="kind-icon cat-kernel">K</span>
          <span className="kernel-name" title={node.name}>
            {node.name}
          </span>
          <span className="kernel-summary" title={summary}>
            {summary}
          </span>
          {result && (
            <span className={`kernel-result tone-${result.tone}`} title={result.title} data-testid={`result-${node.id}`}>
              {result.badge}
            </span>
          )}
          {lint && <span className={`lint-dot ${lint}`} />}
        </div>
      </div>
    </>
  );
}

export const KernelNode = memo(KernelNodeView, sameCardProps);
