// Package eventkind is the vocabulary of business events (a deal won, a
// ticket resolved) that other systems send perfbot: the kinds taken unless
// configured otherwise, the i18n key of each kind's label, and the shape of
// kind and source names with the shortest signing secret a source may have.
//
// It imports nothing of perfbot, so internal/hook (which takes the events),
// conversations (which shows their labels) and internal/config (which checks
// the settings naming them) all read it without depending on each other.
package eventkind
