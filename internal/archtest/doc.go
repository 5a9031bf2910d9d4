// Package archtest holds, in its tests, the import direction of the
// pipeline parser -> spec/ast -> spec -> spec/machine -> explorer (see
// docs/design.md): the explorer sees the model only through its interface,
// the syntax tree needs nothing but the standard library, only the parser
// knows the grammar library, and each stage sees only the stages before it.
package archtest
