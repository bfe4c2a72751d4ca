// Package loadgen drives a running perfbot the way a large company's chat
// platforms would: people on Slack, WeCom and DingTalk doing whole
// check-ins (start, three answers, mood, submit), each event signed or
// encrypted as its platform does, at a target rate, against the fake
// platform APIs of internal/platformtest, which enforce the published
// limits. It starts the perfbot replicas itself, on loopback only, on a
// database it is given and a Redis of its own, and stops after a bounded
// number of events and time.
//
// A run reports throughput, acknowledgement latency, the time from a
// submit to the manager's card, and errors; then it verifies, in the
// database and at the fakes, that every submitted check-in was stored
// once with every answer, and that no message was delivered twice. Beside
// it, it measures the storage bound: the statements and commands one event
// made, replayed on the same PostgreSQL and Redis with perfbot's client
// settings, so throughput can be read as a share of what storage allows.
//
// cmd/loadgen is its command line; the package's test is the short run CI
// makes.
package loadgen
