package store

// DeliveryStore records the scheduler's nudges, digests, reminders and
// escalations, each under a unique key claimed before it is sent.
type DeliveryStore interface{}
