// Package directory brings perfbot's people in line with a chat platform's
// directory. It is the one place the rules of `perfbot org sync` live; each
// adapter only reads its platform's users and translates them into
// [Member]s.
//
// [Sync] matches each active member to a person by email, then by their
// platform identity, and creates the others as employees. Name, department,
// locale, time zone and identity follow the platform where it says something;
// what it leaves empty is kept. Once everyone exists, each member's manager
// is set (the manager gets the manager role), unless that would close a
// management loop, which is reported instead. Disabled members are left as
// they are and nobody is ever deleted. Everything is written in one
// transaction, with one audit entry per person created or changed, so a sync
// that fails changes nothing, and a second sync changes nothing more.
package directory
