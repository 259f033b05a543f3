// Moves an element to <body>: an overlay opened from a node must escape the canvas's transformed viewport
// (position: fixed is relative to a transformed ancestor) and its stacking order.
export function portal(node: HTMLElement): { destroy(): void } {
  document.body.appendChild(node);
  return { destroy: () => node.remove() };
}
