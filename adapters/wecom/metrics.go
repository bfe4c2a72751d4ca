package wecom

import "github.com/prometheus/client_golang/prometheus"

// metrics are the adapter's Prometheus series.
type metrics struct {
	calls        *prometheus.CounterVec // API calls by op and result
	callbacks    *prometheus.CounterVec // callbacks by outcome
	invalidUsers prometheus.Counter     // recipients WeCom reported invalid
}

// newMetrics registers the series with reg; nil keeps them unregistered.
func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_wecom_api_calls_total",
			Help: "WeCom API calls by API and result (ok, error, token_rejected, rate_limited).",
		}, []string{"op", "result"}),
		callbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_wecom_callbacks_total",
			Help: "WeCom callbacks by outcome (accepted, or why they were refused).",
		}, []string{"outcome"}),
		invalidUsers: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "perfbot_wecom_invalid_users_total",
			Help: "Recipients WeCom reported as invalid (invaliduser) when sending.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.calls, m.callbacks, m.invalidUsers)
	}
	return m
}
