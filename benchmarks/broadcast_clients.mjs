// Receiving end of the broadcast benchmark: many real Socket.IO clients (the canvas's own socket.io-client)
// in one Node process, so the load generator is not what limits the measured rate.
//
// Usage: node benchmarks/broadcast_clients.mjs URL TOKEN PROJECT_ID CLIENTS EXPECTED_PER_CLIENT
// Prints one JSON line {"ready": n} once every client is connected, then {"received": n, "messages": m,
// "last_ms": t} once every client has its EXPECTED_PER_CLIENT patches (t: epoch milliseconds). A patch comes alone
// (server:graph_patch) or with the others of its sender applied in the same batch (server:graph_patches): m counts
// the messages that carried the n patches.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../canvas_frontend/package.json', import.meta.url));
const { io } = require('socket.io-client');

const [url, token, projectId, clientsArg, expectedArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const expected = Number(expectedArg) * clients;
let received = 0;
let messages = 0;
let lastMs = 0;

function receive(patches) {
	received += patches;
	messages += 1;
	lastMs = Date.now();
	if (received === expected) {
		process.stdout.write(JSON.stringify({ received, messages, last_ms: lastMs }) + '\n');
		for (const s of sockets) s.close();
	}
}

const sockets = await Promise.all(
	Array.from(
		{ length: clients },
		() =>
			new Promise((resolve, reject) => {
				const socket = io(url, {
					path: '/ws/socket.io',
					transports: ['websocket'],
					reconnection: false,
					auth: { token, project_id: projectId }
				});
				socket.on('server:graph_patch', () => receive(1));
				socket.on('server:graph_patches', ({ patches }) => receive(patches.length));
				socket.once('connect', () => resolve(socket));
				socket.once('connect_error', reject);
			})
	)
);
process.stdout.write(JSON.stringify({ ready: sockets.length }) + '\n');
