package dashboard

import "context"

// goalsView is the place of the goals view (see Goals): the goals work's
// section once it is wired in, and until then a plain statement that goals
// are not here yet.
func (h *Handler) goalsView(ctx context.Context, s *scope) (Section, error) {
	if h.goals != nil {
		return h.goals.GoalSection(ctx, s.v, s.t)
	}
	return Section{ID: "goals", Title: s.t.T("dashboard.goals.title"), Empty: s.t.T("dashboard.goals.pending"), NoDownload: true}, nil
}
