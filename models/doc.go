// Package models holds the bundled specs (*.ilv: each bug beside its fix,
// and anchors/, models whose state counts SPIN and Rumur give too) and the
// tests that run them through the whole pipeline parser -> spec ->
// spec/machine -> explorer: golden verdicts and traces, anchor counts,
// the differential test of reduction, concurrent searches.
package models
