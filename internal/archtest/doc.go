// Package archtest holds the test that keeps perfbot's imports running
// with the flow of data: adapter, event, flow, effects, then store and
// outbound back to the adapter.
//
// It has no code of its own. Its test lists every package of the module
// with `go list -deps -json ./...` and fails, naming the import, when a
// package imports against that flow: an internal package other than the
// engine reading conversations, an adapter reaching into the store or the
// scheduler, configuration depending on the flows it configures, the flows
// on the hook that feeds them, or organisation files on the scheduler.
package archtest
