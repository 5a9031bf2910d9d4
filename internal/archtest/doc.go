// Package archtest holds, in its tests, the import direction of the
// pipeline parser -> spec/ast -> spec -> spec/machine -> explorer (see
// docs/design.md).
package archtest
