package slack

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	// retries counts calls tried again, by method and reason.
	retries *prometheus.CounterVec
	// failures counts calls given up on, by method and reason.
	failures *prometheus.CounterVec
	// refused counts events the handler could not take in; Slack delivers
	// them again.
	refused prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_slack_api_retries_total",
			Help: "Slack Web API calls tried again, by method and reason (rate_limited, http_5xx, network).",
		}, []string{"method", "reason"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "perfbot_slack_api_failures_total",
			Help: "Slack Web API calls that failed for good, by method and Slack's reason.",
		}, []string{"method", "reason"}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "perfbot_slack_events_refused_total",
			Help: "Slack events not taken in (not acknowledged, so Slack delivers them again).",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.retries, m.failures, m.refused)
	}
	return m
}
