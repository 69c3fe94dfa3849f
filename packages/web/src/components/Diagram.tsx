/**
 * A step diagram: React Flow showing a graph laid out by ELK, with decorations from the page (health, plan
 * marks, live status). Selection is owned by the page; clicking a node or pressing Enter on it selects it.
 */
import {
  Background,
  Controls,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore as useFlowStore,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useEffect, useMemo } from 'react';
import { useServices, useStore } from '../app/services';
import { toFlowEdges, toFlowNodes, type EdgeDecoration, type StepDecoration, type StepNode } from '../diagram/flow-elements';
import type { DiagramGraph } from '../diagram/graph';
import { useLayout } from '../diagram/use-layout';
import { StepNodeView } from './StepNodeView';

const nodeTypes: NodeTypes = { step: StepNodeView };

export interface DiagramProps {
  graph: DiagramGraph;
  decorateStep: (stepId: string) => StepDecoration;
  decorateEdge?: (edgeId: string) => EdgeDecoration;
  selectedId?: string;
  onSelect?: (stepId: string | undefined) => void;
  onOpen?: (stepId: string) => void;
  label: string;
  /** Step ids to frame when the layout settles (all steps when absent or empty). */
  focusIds?: string[];
}

/** Frames the graph again whenever its layout settles, the framed steps change or the container is resized. */
const FitOnLayout = ({ layoutKey, refined, focus }: { layoutKey: string; refined: boolean; focus: string }) => {
  const flow = useReactFlow();
  // The renderer's size as React Flow measured it, so framing uses the size it will draw at.
  const size = useFlowStore((s) => `${String(Math.round(s.width))}x${String(Math.round(s.height))}`);
  useEffect(() => {
    const ids = focus === '' ? [] : focus.split('\n');
    void flow.fitView({
      padding: 0.12,
      maxZoom: 1.1,
      duration: refined ? 250 : 0,
      ...(ids.length > 0 ? { nodes: ids.map((id) => ({ id })) } : {}),
    });
  }, [flow, layoutKey, refined, focus, size]);
  return null;
};

const noEdgeDecoration = (): EdgeDecoration => ({});

const DiagramInner = (props: DiagramProps) => {
  const { layouts, theme } = useServices();
  const { theme: colorMode } = useStore(theme.state);
  const layout = useLayout(props.graph, layouts);
  const { decorateStep, decorateEdge, graph, selectedId, onSelect, onOpen } = props;
  const nodes = useMemo(
    () => toFlowNodes(graph, layout.positions, decorateStep, selectedId),
    [graph, layout.positions, decorateStep, selectedId],
  );
  const edges = useMemo(() => toFlowEdges(graph, decorateEdge ?? noEdgeDecoration), [graph, decorateEdge]);
  const onNodesChange = (changes: NodeChange<StepNode>[]): void => {
    for (const change of changes) {
      if (change.type === 'select' && change.selected) onSelect?.(change.id);
    }
  };
  return (
    <div className="diagram" role="group" aria-label={props.label}>
      <ReactFlow<StepNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeDoubleClick={(_event, node) => {
          onOpen?.(node.id);
        }}
        onPaneClick={() => {
          onSelect?.(undefined);
        }}
        colorMode={colorMode}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable
        edgesFocusable={false}
        elementsSelectable
        fitView
        minZoom={0.15}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <FitOnLayout layoutKey={layout.key} refined={layout.refined} focus={(props.focusIds ?? []).join('\n')} />
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
};

export const Diagram = (props: DiagramProps) => (
  <ReactFlowProvider>
    <DiagramInner {...props} />
  </ReactFlowProvider>
);
