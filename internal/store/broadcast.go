package store

// BroadcastStore keeps HR's broadcasts, their recipients and acknowledgments.
type BroadcastStore interface{}
