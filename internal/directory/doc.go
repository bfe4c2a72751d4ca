// Package directory brings perfbot's people in line with a chat platform's
// directory. It is the one place the rules of `perfbot org sync` live and
// the one that writes them to the store; each adapter only reads its
// platform's users and translates them into [bot.Member]s, as a
// [bot.Directory].
//
// [Sync] lists the members and matches each active one to a person by email
// (case-insensitively), then by their platform identity, and creates the
// others as employees. Name, department, locale (in any spelling
// i18n.Normalize knows), time zone (an IANA name) and identity follow the
// platform where it says something; what it leaves empty or unreadable is
// kept. Once everyone exists, each member's manager is set (the manager gets
// the manager role) when the manager is a member of the same sync, unless
// that would close a management loop, which is reported instead. Inactive
// members are left as they are and nobody is ever deleted. Everything is
// written in one transaction, with one audit entry per person created or
// changed, so a sync that fails changes nothing, and a second sync changes
// nothing more.
package directory
