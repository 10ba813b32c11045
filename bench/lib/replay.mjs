// Figure 6: the event store is filled directly (the API would take hours for a million events) with documents in
// the exact shape Axon's MongoEventStorageEngine writes (DocumentPerEventStorageStrategy), three events per call:
// started, accepted, ended. Their timestamps lie in the past, before the live processors' tracking tokens, so the
// running service does not process them live; only a replay (tokens reset to the start) reads them.
import { MongoClient } from "mongodb";
import { createHash, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

const sha = (text) => createHash("sha256").update(text).digest("hex");

function eventsOfCall(n, baseMs) {
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
    return {
      aggregateIdentifier: callId, type: "Call", sequenceNumber, serializedPayload, timestamp, payloadType,
      payloadRevision: "1", serializedMetaData, eventIdentifier: randomUUID(),
    };
  });
}

export async function seed(uri, database, events, log) {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const collection = client.db(database).collection("domainevents");
    const calls = Math.ceil(events / 3);
    const baseMs = Date.parse("2025-01-01T00:00:00Z");
    const started = performance.now();
    let written = 0, batch = [];
    for (let n = 0; n < calls; n++) {
      batch.push(...eventsOfCall(n, baseMs + n * 10));
      if (batch.length >= 3000 || n === calls - 1) {
        await collection.insertMany(batch, { ordered: false });
        written += batch.length;
        batch = [];
        if (written % 150000 < 3000) log(`seeded ${written}/${calls * 3} events (${Math.round(written / ((performance.now() - started) / 1000))}/s)`);
      }
    }
    return { written, seconds: (performance.now() - started) / 1000, total: await collection.estimatedDocumentCount() };
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
