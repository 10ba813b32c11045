// Figure 6: the event store is filled directly (the API would take hours for a million events) with documents in
// the exact shape the service's SequencedEventStorageEngine writes for a commit of one event (axon-mongo's
// one-document-per-event layout plus the stream position: globalIndex = lastGlobalIndex), three events per call:
// started, accepted, ended, at the positions after the newest stored event. The live processors handle them as they
// would any new event (the bench waits until they have); then a replay reads them all again.
import { MongoClient } from "mongodb";
import { createHash, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

const sha = (text) => createHash("sha256").update(text).digest("hex");

function eventsOfCall(n, baseMs, firstPosition) {
  const callId = randomUUID();
  const caller = `seed${n}a`, callee = `seed${n}b`;
  const at = (offsetMs) => new Date(baseMs + offsetMs).toISOString();
  const created = at(0), accepted = at(2000), ended = at(62000);
  const payloads = [
    ["com.dehive.calling.shared.call.CallStartedEvent", { callId, caller: { id: caller, username: caller, displayName: null, avatarIpfsHash: null }, callee, withVideo: true, withAudio: true, createdAt: created, calleeBusy: false }, created, caller],
    ["com.dehive.calling.shared.call.CallAcceptedEvent", { callId, caller, callee: { id: callee, username: callee, displayName: null, avatarIpfsHash: null }, withVideo: true, withAudio: true, acceptedAt: accepted }, accepted, callee],
    ["com.dehive.calling.shared.call.CallEndedEvent", { callId, caller, callee, endedBy: caller, reason: "user_hangup", durationSeconds: 60, withVideo: true, endedAt: ended }, ended, caller],
  ];
  let prev = "0".repeat(64);
  return payloads.map(([payloadType, payload, timestamp, actor], sequenceNumber) => {
    const serializedPayload = JSON.stringify(payload);
    const hash = sha(prev + serializedPayload);
    const traceId = randomUUID();
    const serializedMetaData = JSON.stringify({
      traceId, auth_method: "dev", socket_id: randomUUID(), channel: "socket", prev_hash: prev, correlationId: traceId,
      actor_id: actor, client_address: "127.0.0.1", hash, node_id: "bench-seed",
    });
    prev = hash;
    const position = firstPosition + sequenceNumber;
    return {
      aggregateIdentifier: callId, type: "Call", sequenceNumber, serializedPayload, timestamp, payloadType,
      payloadRevision: "1", serializedMetaData, eventIdentifier: randomUUID(), lastSequenceNumber: sequenceNumber,
      globalIndex: position, lastGlobalIndex: position,
    };
  });
}

export async function seed(uri, database, events, log) {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const collection = client.db(database).collection("domainevents");
    const calls = Math.ceil(events / 3);
    const newest = await collection.find({}).sort({ globalIndex: -1 }).limit(1).next();
    const head = newest ? (newest.lastGlobalIndex ?? newest.globalIndex) : -1;
    const baseMs = Date.parse("2025-01-01T00:00:00Z");
    const started = performance.now();
    let written = 0, batch = [];
    for (let n = 0; n < calls; n++) {
      batch.push(...eventsOfCall(n, baseMs + n * 10, head + 1 + 3 * n));
      if (batch.length >= 3000 || n === calls - 1) {
        await collection.insertMany(batch, { ordered: false });
        written += batch.length;
        batch = [];
        if (written % 150000 < 3000) log(`seeded ${written}/${calls * 3} events (${Math.round(written / ((performance.now() - started) / 1000))}/s)`);
      }
    }
    return {
      written, seconds: (performance.now() - started) / 1000, total: await collection.estimatedDocumentCount(),
      lastPosition: head + 3 * calls,
    };
  } finally {
    await client.close();
  }
}

/** The stream positions the named processors' stored tokens stand at (the tokens are Jackson-serialized JSON). */
export async function tokenPositions(uri, database, processors) {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const positions = {};
    for await (const doc of client.db(database).collection("trackingtokens").find({ processorName: { $in: processors } })) {
      // a plain token {"globalIndex":n}, or a replay token whose current token is the position
      const at = (t) => (t == null ? -1 : typeof t.globalIndex === "number" ? t.globalIndex : "currentToken" in t ? at(t.currentToken) : -1);
      const position = doc.token ? at(JSON.parse(Buffer.from(doc.token.buffer ?? doc.token).toString("utf8"))) : -1;
      positions[doc.processorName] = Math.min(positions[doc.processorName] ?? Infinity, position);
    }
    return positions;
  } finally {
    await client.close();
  }
}

/** Reads every document of the collection once with the Node driver: the floor any rebuild has to stand on. */
export async function rawScan(uri, database) {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const started = performance.now();
    let count = 0;
    for await (const doc of client.db(database).collection("domainevents").find({}, { batchSize: 5000 })) {
      if (doc.serializedPayload) count++;
    }
    const seconds = (performance.now() - started) / 1000;
    return { count, seconds, perSecond: count / seconds };
  } finally {
    await client.close();
  }
}
