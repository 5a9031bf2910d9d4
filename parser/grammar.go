package parser

import "github.com/alecthomas/participle/v2/lexer"

// The grammar structs below are participle's view of the language. They are
// converted to spec/ast by convert.go and never leave this package.

type gFile struct {
	Decls []*gDecl `parser:"( @@ ';'* )*"`
}

type gDecl struct {
	Spec      *gSpec      `parser:"  @@"`
	Const     *gConst     `parser:"| @@"`
	Enum      *gEnum      `parser:"| @@"`
	Var       *gVar       `parser:"| @@"`
	Object    *gObject    `parser:"| @@"`
	Proc      *gProc      `parser:"| @@"`
	Fn        *gFn        `parser:"| @@"`
	Actor     *gActor     `parser:"| @@"`
	Invariant *gInvariant `parser:"| @@"`
	Liveness  *gLiveness  `parser:"| @@"`
}

type gIdent struct {
	Pos    lexer.Position
	Name   string `parser:"@Ident"`
	EndPos lexer.Position
}

type gSpec struct {
	Pos  lexer.Position
	Name *gIdent `parser:"'spec' @@"`
}

type gConst struct {
	Pos   lexer.Position
	Name  *gIdent `parser:"'const' @@"`
	Value *gExpr  `parser:"'=' @@"`
}

type gEnum struct {
	Pos     lexer.Position
	Name    *gIdent   `parser:"'enum' @@ '{'"`
	Members []*gIdent `parser:"( @@ ','? )+ '}'"`
}

type gVar struct {
	Pos  lexer.Position
	Name *gIdent `parser:"'var' @@"`
	Type *gType  `parser:"( ':' @@ )?"`
	Init *gExpr  `parser:"( '=' @@ )?"`
}

type gObject struct {
	Pos      lexer.Position
	Count    *gExpr  `parser:"( '[' @@ ']' )?"`
	Modifier string  `parser:"@( 'reentrant' | 'robust' | 'bounded' | 'reusable' )?"`
	Kind     string  `parser:"@( 'lock' | 'semaphore' | 'event' | 'condition' | 'queue' | 'chan' | 'waitgroup' )"`
	Name     *gIdent `parser:"@@"`
	Lock     *gIdent `parser:"( '(' @@ ')' )?"`
	Cap      *gExpr  `parser:"( '[':Op @@ ']' )?"`
	Init     *gExpr  `parser:"( '=' @@ )?"`
	Elem     *gType  `parser:"( ':' @@ )?"`
}

type gParam struct {
	Name *gIdent `parser:"@@ ':'"`
	Type *gType  `parser:"@@"`
}

type gProc struct {
	Pos    lexer.Position
	Name   *gIdent   `parser:"'proc' @@ '('"`
	Params []*gParam `parser:"( @@ ( ',' @@ )* )? ')'"`
	Body   *gBlock   `parser:"@@"`
}

type gFn struct {
	Pos    lexer.Position
	Name   *gIdent   `parser:"'fn' @@"`
	Params []*gParam `parser:"( '(' ( @@ ( ',' @@ )* )? ')' )?"`
	Body   *gExpr    `parser:"'=' @@"`
}

type gActor struct {
	Pos       lexer.Position
	Name      *gIdent      `parser:"'actor' @@"`
	Count     *gExpr       `parser:"( '[' @@ ']' )?"`
	Modifiers []*gModifier `parser:"@@*"`
	Body      *gBlock      `parser:"@@"`
}

type gModifier struct {
	Pos     lexer.Position
	Flag    string `parser:"  @( 'dormant' | 'daemon' | 'cooperative' | 'fair' | 'unfair' )"`
	Strong  bool   `parser:"| @'strong' 'fair'"`
	Crashes *gExpr `parser:"| 'crashes' @@"`
}

type gInvariant struct {
	Pos  lexer.Position
	Name *gIdent  `parser:"'invariant' @@"`
	Body *gBraced `parser:"@@"`
}

type gLiveness struct {
	Pos  lexer.Position
	Name *gIdent  `parser:"'liveness' @@"`
	Body *gBraced `parser:"@@"`
}

// gBraced is an expression in braces, the body of a property.
type gBraced struct {
	Pos   lexer.Position
	X     *gExpr `parser:"'{' @@"`
	Close *gTok  `parser:"@@"`
}

type gType struct {
	Pos  lexer.Position
	Len  *gExpr `parser:"  ( '[' @@ ']'"`
	Elem *gType `parser:"    @@ )"`
	Bool bool   `parser:"| @'bool'"`
	Lo   *gAdd  `parser:"| @@"`
	Hi   *gAdd  `parser:"  ( '..' @@ )?"`
}

// ---- Statements ----

type gBlock struct {
	Pos   lexer.Position
	Stmts []*gStmt `parser:"'{' @@*"`
	Close *gTok    `parser:"@@"`
}

type gStmt struct {
	Pos      lexer.Position
	Let      *gLet      `parser:"(   @@"`
	If       *gIf       `parser:"  | @@"`
	Loop     *gBlock    `parser:"  | 'loop' @@"`
	While    *gWhile    `parser:"  | @@"`
	For      *gFor      `parser:"  | @@"`
	Break    bool       `parser:"  | @'break'"`
	Continue bool       `parser:"  | @'continue'"`
	Return   bool       `parser:"  | @'return'"`
	Await    *gExpr     `parser:"  | 'await' @@"`
	Atomic   *gBlock    `parser:"  | 'atomic' @@"`
	Either   *gEither   `parser:"  | @@"`
	Choose   *gChoose   `parser:"  | @@"`
	Assert   *gAssert   `parser:"  | @@"`
	Raise    *gRaise    `parser:"  | @@"`
	Try      *gTry      `parser:"  | @@"`
	Progress bool       `parser:"  | @'progress'"`
	Label    *gIdent    `parser:"  | 'label' @@ ':'"`
	Start    *gPostfix  `parser:"  | 'start' @@"`
	Cancel   *gPostfix  `parser:"  | 'cancel' @@"`
	Call     *gCallStmt `parser:"  | @@"`
	Select   *gSelect   `parser:"  | @@"`
	Simple   *gSimple   `parser:"  | @@ )"`
	EndPos   lexer.Position
	Semi     bool `parser:"';'?"`
}

type gLet struct {
	Names []*gIdent `parser:"'let' @@ ( ',' @@ )*"`
	Type  *gType    `parser:"( ':' @@ )?"`
	Value *gExpr    `parser:"'=' @@"`
}

type gIf struct {
	Cond   *gExpr  `parser:"'if' @@"`
	Then   *gBlock `parser:"@@"`
	ElseIf *gIf    `parser:"( 'else' ( @@"`
	Else   *gBlock `parser:"| @@ ) )?"`
}

type gWhile struct {
	Cond *gExpr  `parser:"'while' @@"`
	Body *gBlock `parser:"@@"`
}

type gFor struct {
	Var  *gIdent `parser:"'for' @@ 'in'"`
	Lo   *gAdd   `parser:"@@ '..'"`
	Hi   *gAdd   `parser:"@@"`
	Body *gBlock `parser:"@@"`
}

type gEither struct {
	First *gBlock   `parser:"'either' @@"`
	Or    []*gBlock `parser:"( 'or' @@ )+"`
}

type gChoose struct {
	Var *gIdent `parser:"'choose' @@ 'in'"`
	Lo  *gAdd   `parser:"@@ '..'"`
	Hi  *gAdd   `parser:"@@"`
}

type gAssert struct {
	Cond *gExpr  `parser:"'assert' @@"`
	Msg  *string `parser:"( ',' @String )?"`
}

type gRaise struct {
	Pos  lexer.Position
	Name *gRaiseName `parser:"'raise' @@?"`
}

// gRaiseName is the error a raise names, on the raise's line.
type gRaiseName struct {
	Pos    lexer.Position
	Name   string `parser:"@RaiseName"`
	EndPos lexer.Position
}

type gTry struct {
	Body    *gBlock   `parser:"'try' @@"`
	Catches []*gCatch `parser:"@@*"`
	Finally *gBlock   `parser:"( 'finally' @@ )?"`
}

type gCatch struct {
	Pos   lexer.Position
	Any   bool      `parser:"'catch' ( @'any'"`
	Names []*gIdent `parser:"| @@ ( ',' @@ )* )"`
	Body  *gBlock   `parser:"@@"`
}

type gCallStmt struct {
	Name *gIdent  `parser:"'call' @@ '('"`
	Args []*gExpr `parser:"( @@ ( ',' @@ )* )? ')'"`
}

type gSelect struct {
	Cases []*gCase `parser:"'select' '{' @@* '}'"`
}

type gCase struct {
	Pos     lexer.Position
	Default bool     `parser:"(   @'default' ':'"`
	Let     *gLet    `parser:"  | 'case' ( @@"`
	Comm    *gSimple `parser:"  | @@ ) ':' )"`
	Body    []*gStmt `parser:"@@*"`
}

type gSimple struct {
	Targets []*gExpr `parser:"@@ ( ',' @@ )*"`
	Value   *gExpr   `parser:"( '=' @@ )?"`
}

// ---- Expressions, loosest binding first ----

type gExpr struct {
	Left  *gOr       `parser:"@@"`
	Arrow *gArrowTok `parser:"( @@"`
	Right *gExpr     `parser:"  @@ )?"`
}

// gTok records where a closing brace stands.
type gTok struct {
	Pos lexer.Position
	Tok string `parser:"@'}'"`
}

// gArrowTok matches the implication arrow and records where it stands.
type gArrowTok struct {
	Pos lexer.Position
	Tok string `parser:"@'->'"`
}

type gOr struct {
	Left *gAnd      `parser:"@@"`
	Rest []*gOrTail `parser:"@@*"`
}

type gOrTail struct {
	Pos lexer.Position
	Op  string `parser:"@'||'"`
	X   *gAnd  `parser:"@@"`
}

type gAnd struct {
	Left *gCmp       `parser:"@@"`
	Rest []*gAndTail `parser:"@@*"`
}

type gAndTail struct {
	Pos lexer.Position
	Op  string `parser:"@'&&'"`
	X   *gCmp  `parser:"@@"`
}

type gCmp struct {
	Left *gAdd     `parser:"@@"`
	Tail *gCmpTail `parser:"@@?"`
}

type gCmpTail struct {
	Pos   lexer.Position
	Op    string `parser:"@( '==' | '!=' | '<=' | '>=' | '<' | '>' )"`
	Right *gAdd  `parser:"@@"`
}

type gAdd struct {
	Left *gMul       `parser:"@@"`
	Rest []*gAddTail `parser:"@@*"`
}

type gAddTail struct {
	Pos lexer.Position
	Op  string `parser:"@( '+' | '-' )"`
	X   *gMul  `parser:"@@"`
}

type gMul struct {
	Left *gUnary     `parser:"@@"`
	Rest []*gMulTail `parser:"@@*"`
}

type gMulTail struct {
	Pos lexer.Position
	Op  string  `parser:"@( '*' | '/' | '%' )"`
	X   *gUnary `parser:"@@"`
}

// gUnary is a prefix operator or a postfix expression. A temporal operator
// takes the whole expression after it, so it binds looser than comparisons
// and boolean operators: eventually x == 1 is eventually (x == 1).
type gUnary struct {
	Pos      lexer.Position
	Op       string    `parser:"  ( @( '!' | '-' )"`
	X        *gUnary   `parser:"    @@ )"`
	Temporal string    `parser:"| ( @( 'always' | 'eventually' )"`
	Body     *gExpr    `parser:"    @@ )"`
	Postfix  *gPostfix `parser:"| @@"`
}

type gPostfix struct {
	Primary  *gPrimary  `parser:"@@"`
	Suffixes []*gSuffix `parser:"@@*"`
}

type gSuffix struct {
	Pos    lexer.Position
	Index  *gExpr    `parser:"  '[':Op @@ ']'"`
	Sel    *gIdent   `parser:"| '.' @@"`
	Call   *gCallArg `parser:"  @@?"`
	At     *gIdent   `parser:"| '@' @@"`
	EndPos lexer.Position
}

type gCallArg struct {
	Pos  lexer.Position
	Args []*gExpr `parser:"'(' ( @@ ( ',' @@ )* )? ')'"`
}

type gPrimary struct {
	Pos      lexer.Position
	Int      *string `parser:"  @Int"`
	True     bool    `parser:"| @'true'"`
	False    bool    `parser:"| @'false'"`
	Self     bool    `parser:"| @'self'"`
	Mode     string  `parser:"| @( 'timeout' | 'nowait' | 'immediate' )"`
	Progress bool    `parser:"| @'progress'"`
	Paren    *gExpr  `parser:"| '(' @@ ')'"`
	Named    *gNamed `parser:"| @@"`
	EndPos   lexer.Position
}

// gNamed is a name, a call of a fn, or a quantifier over a range.
type gNamed struct {
	Name   *gIdent `parser:"@@"`
	Paren  *gParen `parser:"@@?"`
	EndPos lexer.Position
}

// gParen is the parenthesised part of a call, f(a, b), or of a quantifier,
// count(i in lo..hi: e), told apart after the first expression so that the
// parser never backtracks.
type gParen struct {
	Open  string   `parser:"@'('"`
	First *gExpr   `parser:"( @@"`
	Quant *gQuant  `parser:"  @@?"`
	Rest  []*gExpr `parser:"  ( ',' @@ )* )? ')'"`
}

type gQuant struct {
	Lo   *gAdd  `parser:"'in' @@ '..'"`
	Hi   *gAdd  `parser:"@@ ':'"`
	Body *gExpr `parser:"@@"`
}
