// The studio's node types and installed pipelines (GET /api/v1/node-types, /api/v1/pipelines): what the
// palette offers and what each node of the canvas is.
import type { NodeType, PipelineManifest } from "../types/contracts";

export class NodeCatalogue {
  types = $state.raw<Map<string, NodeType>>(new Map());
  pipelines = $state.raw<PipelineManifest[]>([]);

  constructor(nodeTypes: NodeType[] = []) {
    this.setTypes(nodeTypes);
  }

  setTypes(nodeTypes: NodeType[]): void {
    this.types = new Map(nodeTypes.map((t) => [t.id, t]));
  }

  nodeType(typeId: string | undefined): NodeType | undefined {
    return typeId ? this.types.get(typeId) : undefined;
  }
}
