// The client's edits on their way to the server: sent one after the other, each stamped with the graph
// version current when it leaves; an acknowledgement raises that version, a refusal is reported and the
// client asks for the server's state again.
import type { Ack, ClientEventName, Connection } from "../realtime";

/** What the outbox reads and tells of the graph it sends edits of. */
export interface OutboxHost {
  connection(): Connection | null;
  /** The version an edit is made against when it leaves. */
  version(): number;
  /** The server holds `version` now (an acknowledged edit). */
  acknowledged(version: number): void;
  /** The server refused an edit (the sentence says why): the client's state is in doubt. */
  refused(message: string): void;
}

export class Outbox {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: OutboxHost) {}

  /** Sends `payload` as `event` after everything sent before; the ack, or null without a connection. */
  send(event: ClientEventName, payload: object, failure = `${event} failed.`): Promise<Ack | null> {
    const run = this.queue.then(async () => {
      const connection = this.host.connection();
      if (!connection) return null;
      const ack = await connection.emit(event, { ...payload, version: this.host.version() });
      if (ack.ok && typeof ack.version === "number") this.host.acknowledged(ack.version);
      // A version conflict comes as server:conflict too, which resyncs; any other refusal is said here.
      else if (!ack.ok && ack.error?.code !== "version_conflict" && ack.version === undefined) {
        this.host.refused(ack.error?.message ? `${failure} ${ack.error.message}` : failure);
      }
      return ack;
    });
    this.queue = run.catch(() => null);
    return run;
  }

  /** Resolves once every edit sent so far has been answered. */
  settled(): Promise<unknown> {
    return this.queue;
  }

  /** Forgets the edits still waiting: the server's state (a full sync) supersedes them. */
  reset(): void {
    this.queue = Promise.resolve();
  }
}
