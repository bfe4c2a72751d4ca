// Package orgfile moves people in and check-ins out of perfbot as
// spreadsheets, the files HR already works with.
//
// [Import] reads an organisation file (CSV or XLSX, one person per row; the
// columns are described in FORMAT.md) and upserts people by email together
// with their managers, teams, goals and chat identities. An import is all or
// nothing: every row is validated first, and all the problems found are
// returned together as [*RowErrors] with the file's own line numbers, so the
// file can be fixed in one go. Only then is it written, in one transaction.
//
// [ExportCheckins] writes check-in rounds as CSV or XLSX for the people who
// analyse them in Excel or WPS. It reads through the store with a
// [store.Viewer], so an export shows exactly what that viewer may see.
//
// [ImportGoals] reads a goal file (company, team and person goals, one key
// result a row, FORMAT.md "Goals") the same way, all or nothing, telling its
// problems in the operator's language; [ExportGoals] writes goals with their
// progress and updates as a goal file that imports again.
//
// Both directions share one model, a table of a header and rows of text, read
// from and written to either format by the same code paths.
//
// [Period] names the ISO week a time falls in, which is how check-in rounds
// are keyed; [PeriodRange] turns dates typed by a person into such periods.
package orgfile
