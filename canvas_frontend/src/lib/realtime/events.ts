// The events of a project's socket by name, typed by schemas/ws-events.schema.json, and the routing of each
// server event to its handler.
import type { WsEvents } from "../types/contracts";

type Events = Required<WsEvents>;
export type ServerEventName = Extract<keyof Events, `server:${string}`>;
export type ClientEventName = Extract<keyof Events, `client:${string}`>;

/** One entry per server event: its handler, or "ignore". An event added to the schema is a type error here
 * until the client says what it does with it. */
export type ServerEventHandlers = { [E in ServerEventName]: ((payload: Events[E]) => void) | "ignore" };

/** Hands `payload` to the handler of `name`; an event this client does not know (a newer server's) is let go. */
export function routeServerEvent(handlers: ServerEventHandlers, name: string, payload: unknown): void {
  if (!Object.hasOwn(handlers, name)) return;
  const handler = handlers[name as ServerEventName];
  // The server sends the schema's payloads (its tests check every event against it): not checked again here.
  if (handler !== "ignore") (handler as (payload: unknown) => void)(payload);
}
