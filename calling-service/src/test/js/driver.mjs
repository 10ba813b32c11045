// Drives real socket.io-client v4 sockets for the Java integration tests. Commands arrive as JSON lines on stdin;
// everything a socket hears (events, acks, connection changes) goes out as JSON lines on stdout.
import { io } from "socket.io-client";
import readline from "node:readline";

const sockets = new Map();
const out = (line) => process.stdout.write(JSON.stringify(line) + "\n");

function connect({ id, url, auth, query, headers }) {
  const socket = io(url, { transports: ["websocket"], auth, query, extraHeaders: headers, reconnection: false, forceNew: true });
  sockets.set(id, socket);
  socket.on("connect", () => out({ id, type: "connected", socketId: socket.id }));
  socket.on("connect_error", (error) => out({ id, type: "connect_error", message: error.message, data: error.data ?? null }));
  socket.on("disconnect", (reason) => out({ id, type: "disconnected", reason }));
  socket.onAny((event, ...args) => out({ id, type: "event", event, payload: args.length ? args[0] : null }));
}

function emit({ id, event, payload, ack, seq, noPayload }) {
  const socket = sockets.get(id);
  const args = noPayload ? [] : [payload];
  if (ack) {
    socket.emit(event, ...args, (answer) => out({ id, type: "ack", seq, data: answer }));
  } else {
    socket.emit(event, ...args);
  }
}

const commands = readline.createInterface({ input: process.stdin });
commands.on("line", (line) => {
  const command = JSON.parse(line);
  switch (command.op) {
    case "connect": connect(command); break;
    case "emit": emit(command); break;
    case "emitMany": for (const payload of command.payloads) emit({ ...command, payload }); break;
    case "close": sockets.get(command.id)?.disconnect(); break;
    case "exit": for (const socket of sockets.values()) socket.disconnect(); process.exit(0);
  }
});
commands.on("close", () => process.exit(0));
out({ type: "ready" });
