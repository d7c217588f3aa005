// The Socket.IO peer the benchmark compares ChatPlatform with: one process per "gateway" port,
// all sharing one Redis through @socket.io/redis-adapter, as its documentation sets it up.
//
//   PORT=18281 REDIS_URL=redis://127.0.0.1:18280 node socketio-server.mjs
//
// A client connects with ?user=NAME and is put in the room "user:NAME". Events, each acked:
//   send {to, body}     socket.to("user:" + to).emit("message", {from, body})
//   join room           socket.join(room)
//   room {room, body}   socket.to(room).emit("message", {from, room, body})
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";

const port = Number(process.env.PORT);

// ioredis rather than node-redis: node-redis 6 fails a command that gets no answer within 5 s,
// and the adapter does not handle the failure, so a server starved of CPU for 5 s dropped
// messages, or exited.
const pubClient = new Redis(process.env.REDIS_URL);
const subClient = pubClient.duplicate();
for (const client of [pubClient, subClient]) client.on("error", (error) => console.error("redis:", error.message));

// The adapter does not wait for its PUBLISHes: should one fail, log it (the message is lost, and
// the benchmark counts it so) rather than end the process.
process.on("unhandledRejection", (error) => console.error("unhandled:", error));

const httpServer = createServer();
const io = new Server(httpServer, {
  adapter: createAdapter(pubClient, subClient),
  transports: ["websocket"],
  serveClient: false,
  // The same keepalive as a ChatPlatform gateway: a ping every 15 s, dropped 15 s without pong.
  pingInterval: 15_000,
  pingTimeout: 15_000,
  maxHttpBufferSize: 65_536,
});

io.use((socket, next) => {
  const user = socket.handshake.query.user;
  next(typeof user === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(user) ? undefined : new Error("bad user"));
});

io.on("connection", (socket) => {
  const user = socket.handshake.query.user;
  socket.join("user:" + user);
  socket.on("send", (message, ack) => {
    socket.to("user:" + message.to).emit("message", { from: user, body: message.body });
    if (typeof ack === "function") ack();
  });
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack();
  });
  socket.on("room", (message, ack) => {
    socket.to(message.room).emit("message", { from: user, room: message.room, body: message.body });
    if (typeof ack === "function") ack();
  });
});

const stop = () => io.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
httpServer.listen(port, "127.0.0.1", () => console.log(`socket.io listening on 127.0.0.1:${port}`));
