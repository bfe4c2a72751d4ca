package bot

// Busy reports how many workers are taken, for tests that must know a
// handling has given its worker back.
func (r *Runtime) Busy() int { return len(r.slots) }
