//! Pass 1: the per-file semantic index.
//!
//! tree-sitter nodes have no parent pointers (`Node::parent` re-descends from the root), so
//! one `TreeCursor` walk, with no recursion, builds a flat table of the file's named nodes in
//! pre-order with parent ids and subtree ends, plus scopes, bindings (declarations), imports
//! and assignments. Rules then ask questions of this table (`enclosing_function`, `resolve`,
//! `qualified_name`, …) in O(depth) without touching the tree's parent links.
//!
//! Scoping follows each language closely enough for linting: JS/TS functions, blocks, `for`
//! heads, `catch` clauses and class bodies are scopes, `var` hoists to the function, `let`/
//! `const`/`class`/`function` bind in their block; in Python, modules, functions, lambdas,
//! classes and comprehensions are scopes, any assignment binds in the enclosing function
//! (unless declared `global`/`nonlocal`), and class scopes are skipped when resolving names
//! used inside methods.

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

use crate::lang::{Language, Roles};

/// Index of a named node in pre-order.
pub type NodeId = u32;
pub type ScopeId = u32;
pub type BindingId = u32;
pub type ImportId = u32;

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Function,
    Block,
    Class,
    Comprehension,
}

#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub kind: ScopeKind,
    pub node: NodeId,
    pub parent: Option<ScopeId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingKind {
    Var,
    Let,
    Const,
    Parameter,
    Function,
    Class,
    Import(ImportId),
    /// `catch (e)`, `except E as e`, `with x as y`, `for x in …`: bound by a statement.
    Statement,
    /// A loop variable over the elements of an iterable (`for (const x of xs)`, Python
    /// `for x in xs`); the binding's `value` is the iterable, not an element.
    LoopVar,
    /// Python: the first assignment of a name in its scope.
    Assignment,
}

#[derive(Debug, Clone, Copy)]
pub struct Binding<'t> {
    pub name: &'t str,
    /// The identifier that declares the name.
    pub node: Node<'t>,
    pub scope: ScopeId,
    pub kind: BindingKind,
    /// The initialiser or assigned value (`const x = <value>`), when there is one. For a
    /// destructured binding (`const { a } = <value>`) this is the whole destructured value.
    pub value: Option<Node<'t>>,
    pub destructured: bool,
}

/// What an import binds a local name to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// The module itself: `import * as m`, `import m from`, `const m = require()`, `import m`.
    Module,
    /// A member of the module: `import { a } from`, `from m import a`, `const { a } = require()`.
    Member(String),
}

#[derive(Debug, Clone)]
pub struct Import {
    /// The module as written (`@prisma/client`, `./db`, `sqlalchemy.orm`, `.models`).
    pub module: String,
    pub imported: Imported,
    pub local: String,
    /// The import statement or `require` call.
    pub range: (usize, usize),
}

impl Import {
    /// The qualified-name segments this import stands for: the module (Python modules split
    /// on dots) followed by the member, if any.
    pub fn segments(&self, lang: Language) -> Vec<String> {
        let mut segs: Vec<String> = if lang.is_js_like() || self.module.starts_with('.') {
            vec![self.module.clone()]
        } else {
            self.module.split('.').map(str::to_string).collect()
        };
        if let Imported::Member(m) = &self.imported {
            segs.push(m.clone());
        }
        segs
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Assign,
    /// `+=`
    Add,
    /// Any other compound assignment.
    Other,
    /// Rebound by another loop: the value is that loop's iterable, not an element.
    Loop,
}

/// A write to a plain name after its declaration: `x = v`, `x += v`.
#[derive(Debug, Clone, Copy)]
pub struct Assignment<'t> {
    pub target: Node<'t>,
    pub binding: Option<BindingId>,
    pub value: Node<'t>,
    pub op: AssignOp,
}

/// The semantic index of one file.
pub struct Index<'t> {
    lang: Option<Language>,
    src: &'t str,
    nodes: Vec<Node<'t>>,
    kinds: Vec<u16>,
    parents: Vec<NodeId>,
    ends: Vec<NodeId>,
    node_scope: Vec<ScopeId>,
    scopes: Vec<Scope>,
    bindings: Vec<Binding<'t>>,
    by_name: HashMap<&'t str, Vec<BindingId>>,
    imports: Vec<Import>,
    assignments: Vec<Assignment<'t>>,
    /// Python `global`/`nonlocal` names per scope.
    non_locals: Vec<(ScopeId, &'t str)>,
}

impl<'t> Index<'t> {
    /// An index with no nodes, for files that are read as text only.
    pub fn empty(src: &'t str) -> Index<'t> {
        Index {
            lang: None,
            src,
            nodes: Vec::new(),
            kinds: Vec::new(),
            parents: Vec::new(),
            ends: Vec::new(),
            node_scope: Vec::new(),
            scopes: Vec::new(),
            bindings: Vec::new(),
            by_name: HashMap::new(),
            imports: Vec::new(),
            assignments: Vec::new(),
            non_locals: Vec::new(),
        }
    }

    /// Builds the index with one cursor walk over `tree`.
    pub fn build(tree: &'t Tree, src: &'t str, lang: Language) -> Index<'t> {
        let mut builder = Builder {
            idx: Index::empty(src),
            roles: lang.roles(),
            open: Vec::new(),
            scope_stack: Vec::new(),
            pending: Vec::new(),
        };
        builder.idx.lang = Some(lang);
        builder.walk(tree);
        builder.finish()
    }

    // ---- the node table ------------------------------------------------------------

    pub fn language(&self) -> Option<Language> {
        self.lang
    }

    pub fn source(&self) -> &'t str {
        self.src
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, id: NodeId) -> Node<'t> {
        self.nodes[id as usize]
    }

    pub fn kind_id(&self, id: NodeId) -> u16 {
        self.kinds[id as usize]
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        let p = self.parents[id as usize];
        (p != NONE).then_some(p)
    }

    /// One past the last node of `id`'s subtree: descendants are `id+1 .. subtree_end(id)`.
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        self.ends[id as usize]
    }

    /// Whether `inner` is `outer` or inside it.
    pub fn is_within(&self, inner: NodeId, outer: NodeId) -> bool {
        inner >= outer && inner < self.ends[outer as usize]
    }

    /// The id of a named node of this file (e.g. one reached with `child_by_field_name`).
    /// Nodes are in pre-order, so start bytes are sorted: a binary search, then a short scan
    /// among nodes that start at the same byte.
    pub fn id_of(&self, node: Node<'_>) -> Option<NodeId> {
        let start = node.start_byte();
        let first = self.nodes.partition_point(|n| n.start_byte() < start);
        self.nodes[first..]
            .iter()
            .take_while(|n| n.start_byte() == start)
            .position(|n| n.id() == node.id())
            .map(|i| (first + i) as NodeId)
    }

    /// The parent node (named) of a node, through the table.
    pub fn parent_node(&self, node: Node<'t>) -> Option<Node<'t>> {
        self.id_of(node)
            .and_then(|id| self.parent(id))
            .map(|p| self.node(p))
    }

    /// Ancestors of `id`, nearest first (not including `id`).
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut cur = self.parent(id);
        std::iter::from_fn(move || {
            let this = cur?;
            cur = self.parent(this);
            Some(this)
        })
    }

    fn roles_of(&self, id: NodeId) -> Roles {
        match self.lang {
            Some(lang) => lang
                .roles()
                .get(self.kinds[id as usize] as usize)
                .copied()
                .unwrap_or_default(),
            None => Roles::default(),
        }
    }

    /// The nearest enclosing function, method, arrow function or lambda.
    pub fn enclosing_function(&self, id: NodeId) -> Option<NodeId> {
        self.ancestors(id)
            .find(|&a| self.roles_of(a).contains(Roles::FUNCTION))
    }

    /// The nearest enclosing loop (statement or comprehension) within the same function.
    pub fn enclosing_loop(&self, id: NodeId) -> Option<NodeId> {
        for a in self.ancestors(id) {
            let r = self.roles_of(a);
            if r.contains(Roles::LOOP) {
                return Some(a);
            }
            if r.contains(Roles::FUNCTION) {
                return None;
            }
        }
        None
    }

    /// The nearest enclosing class.
    pub fn enclosing_class(&self, id: NodeId) -> Option<NodeId> {
        self.ancestors(id)
            .find(|&a| self.roles_of(a).contains(Roles::CLASS))
    }

    pub fn text(&self, node: Node<'_>) -> &'t str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    /// The name at the end of a callee or reference: `f` for `f`, `query` for `db.pool.query`
    /// (JS `member_expression` property, Python `attribute`).
    pub fn last_name(&self, node: Node<'_>) -> Option<&'t str> {
        match node.kind() {
            "identifier" | "property_identifier" => Some(self.text(node)),
            _ => node
                .child_by_field_name("property")
                .or_else(|| node.child_by_field_name("attribute"))
                .map(|p| self.text(p)),
        }
    }

    /// The content of a string literal without quotes, if `node` is a string with no
    /// interpolation (JS `'…'`/`"…"`/`` `…` `` without `${}`, Python `'…'` without f-string
    /// fields). Escapes are left as written.
    pub fn string_value(&self, node: Node<'_>) -> Option<&'t str> {
        let python = self.lang == Some(Language::Python);
        let interpolation = match node.kind() {
            "string" if python => "interpolation",
            "string" => "",
            "template_string" => "template_substitution",
            _ => return None,
        };
        let mut cursor = node.walk();
        if !interpolation.is_empty()
            && node
                .named_children(&mut cursor)
                .any(|c| c.kind() == interpolation)
        {
            return None;
        }
        let mut body = self.text(node);
        let mut quote = 1;
        if python {
            // String prefixes (`r`, `b`, `u`, `f`…) and triple quotes.
            body = body.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            if body.starts_with("\"\"\"") || body.starts_with("'''") {
                quote = 3;
            }
        }
        body.get(quote..body.len().checked_sub(quote)?)
    }

    // ---- scopes and bindings -------------------------------------------------------

    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    pub fn scope_of(&self, id: NodeId) -> ScopeId {
        self.node_scope[id as usize]
    }

    pub fn bindings(&self) -> &[Binding<'t>] {
        &self.bindings
    }

    pub fn binding(&self, id: BindingId) -> &Binding<'t> {
        &self.bindings[id as usize]
    }

    pub fn imports(&self) -> &[Import] {
        &self.imports
    }

    pub fn assignments(&self) -> &[Assignment<'t>] {
        &self.assignments
    }

    /// Writes to a binding after its declaration, in source order.
    pub fn assignments_of(&self, binding: BindingId) -> impl Iterator<Item = &Assignment<'t>> {
        self.assignments
            .iter()
            .filter(move |a| a.binding == Some(binding))
    }

    /// Resolves `name` as seen from `scope`.
    pub fn lookup(&self, name: &str, scope: ScopeId) -> Option<BindingId> {
        let candidates = self.by_name.get(name)?;
        let python = self.lang == Some(Language::Python);
        let mut cur = Some(scope);
        let mut first = true;
        while let Some(s) = cur {
            let sc = self.scopes[s as usize];
            // Python: names used in a method do not see the class body's names.
            let skip = python && !first && sc.kind == ScopeKind::Class;
            if !skip {
                if let Some(&b) = candidates
                    .iter()
                    .find(|&&b| self.bindings[b as usize].scope == s)
                {
                    return Some(b);
                }
            }
            first = false;
            cur = sc.parent;
        }
        None
    }

    /// Resolves an identifier node to the binding it refers to.
    pub fn resolve(&self, ident: Node<'_>) -> Option<BindingId> {
        let id = self.id_of(ident)?;
        self.lookup(self.text(ident), self.scope_of(id))
    }

    /// The references to a binding, in source order: identifiers (and JS shorthand
    /// properties, `{ users }`) in its scope that resolve to it, reassignment targets included,
    /// the declaring identifier not. One pass over the scope's nodes, comparing names before
    /// resolving.
    pub fn references(&self, binding: BindingId) -> Vec<Node<'t>> {
        let Some(b) = self.bindings.get(binding as usize) else {
            return Vec::new();
        };
        let scope_node = self.scopes[b.scope as usize].node;
        (scope_node..self.subtree_end(scope_node))
            .map(|id| self.node(id))
            .filter(|n| {
                matches!(n.kind(), "identifier" | "shorthand_property_identifier")
                    && n.id() != b.node.id()
                    && self.text(*n) == b.name
                    && self.resolve(*n) == Some(binding)
            })
            .collect()
    }

    /// The value an identifier was initialised with (`const x = <value>`), following
    /// `const a = b` chains a few steps. Only for bindings never reassigned, so the value is
    /// the one the name has everywhere.
    pub fn const_value(&self, ident: Node<'t>) -> Option<Node<'t>> {
        let mut node = ident;
        let mut value = None;
        for _ in 0..8 {
            if !matches!(node.kind(), "identifier") {
                break;
            }
            let b = self.resolve(node)?;
            let binding = &self.bindings[b as usize];
            if binding.destructured
                || binding.kind == BindingKind::LoopVar
                || self.assignments_of(b).next().is_some()
            {
                return value;
            }
            let v = binding.value?;
            value = Some(v);
            node = v;
        }
        value
    }

    /// The qualified name of an expression, as segments: an imported name resolves to its
    /// module path (`import { PrismaClient } from '@prisma/client'` makes `PrismaClient`
    /// `["@prisma/client", "PrismaClient"]`), member accesses append the property
    /// (`jwt.sign` → `["jsonwebtoken", "sign"]`), and a name with no binding in the file is a
    /// global (`window.localStorage` → `["window", "localStorage"]`). Local variables and
    /// `this` have no qualified name.
    pub fn qualified_name(&self, expr: Node<'_>) -> Option<Vec<String>> {
        let mut rev: Vec<String> = Vec::new();
        let mut node = expr;
        loop {
            match node.kind() {
                "member_expression" | "attribute" => {
                    let prop = node
                        .child_by_field_name("property")
                        .or_else(|| node.child_by_field_name("attribute"))?;
                    rev.push(self.text(prop).to_string());
                    node = node.child_by_field_name("object")?;
                }
                "subscript_expression" => {
                    let index = node.child_by_field_name("index")?;
                    rev.push(self.string_value(index)?.to_string());
                    node = node.child_by_field_name("object")?;
                }
                "parenthesized_expression" | "non_null_expression" => {
                    node = node.named_child(0)?;
                }
                "identifier" => {
                    let name = self.text(node);
                    let mut segs = match self.resolve(node) {
                        Some(b) => match self.bindings[b as usize].kind {
                            BindingKind::Import(i) => self.imports[i as usize].segments(self.lang?),
                            _ => return None,
                        },
                        None => vec![name.to_string()],
                    };
                    segs.extend(rev.into_iter().rev());
                    return Some(segs);
                }
                "call_expression" => {
                    // `require('m').x`
                    let module = self.require_source(node)?;
                    let mut segs = vec![module.to_string()];
                    segs.extend(rev.into_iter().rev());
                    return Some(segs);
                }
                _ => return None,
            }
        }
    }

    /// `m` for a call `require('m')`.
    pub fn require_source(&self, call: Node<'_>) -> Option<&'t str> {
        if call.kind() != "call_expression" {
            return None;
        }
        let f = call.child_by_field_name("function")?;
        if f.kind() != "identifier" || self.text(f) != "require" {
            return None;
        }
        let args = call.child_by_field_name("arguments")?;
        if args.named_child_count() != 1 {
            return None;
        }
        self.string_value(args.named_child(0)?)
    }
}

/// The builder state of pass 1.
struct Builder<'t> {
    idx: Index<'t>,
    roles: &'static [Roles],
    /// Named nodes entered and not yet left.
    open: Vec<NodeId>,
    /// Open scopes with the node that opened them.
    scope_stack: Vec<(ScopeId, NodeId)>,
    /// Assignments to names, resolved once every declaration is known.
    pending: Vec<(Node<'t>, ScopeId, Node<'t>, AssignOp)>,
}

impl<'t> Builder<'t> {
    fn walk(&mut self, tree: &'t Tree) {
        let mut cursor = tree.walk();
        'outer: loop {
            let node = cursor.node();
            if node.is_named() {
                self.enter(node);
            }
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                let node = cursor.node();
                if node.is_named() {
                    self.leave();
                }
                if cursor.goto_next_sibling() {
                    continue 'outer;
                }
                if !cursor.goto_parent() {
                    break 'outer;
                }
            }
        }
    }

    fn lang(&self) -> Language {
        self.idx.lang.unwrap_or(Language::JavaScript)
    }

    fn current_scope(&self) -> ScopeId {
        self.scope_stack.last().map(|s| s.0).unwrap_or(0)
    }

    /// The innermost open scope whose kind passes `pred` (the module scope if none does).
    fn nearest_scope(&self, pred: impl Fn(ScopeKind) -> bool) -> ScopeId {
        self.scope_stack
            .iter()
            .rev()
            .find(|(s, _)| pred(self.idx.scopes[*s as usize].kind))
            .map(|s| s.0)
            .unwrap_or(0)
    }

    /// The nearest function or module scope (where `var` binds).
    fn function_scope(&self) -> ScopeId {
        self.nearest_scope(|k| matches!(k, ScopeKind::Function | ScopeKind::Module))
    }

    /// The nearest function, class or module scope (where Python assignments bind).
    fn function_scope_or_class(&self) -> ScopeId {
        self.nearest_scope(|k| {
            matches!(
                k,
                ScopeKind::Function | ScopeKind::Module | ScopeKind::Class
            )
        })
    }

    /// The nearest scope that is not a comprehension (where a walrus binds).
    fn python_binding_scope(&self) -> ScopeId {
        self.nearest_scope(|k| k != ScopeKind::Comprehension)
    }

    fn enter(&mut self, node: Node<'t>) {
        let id = self.idx.nodes.len() as NodeId;
        let kind = node.kind_id();
        let parent = self.open.last().copied().unwrap_or(NONE);
        self.idx.nodes.push(node);
        self.idx.kinds.push(kind);
        self.idx.parents.push(parent);
        self.idx.ends.push(id + 1);
        self.idx.node_scope.push(self.current_scope());
        self.open.push(id);

        let roles = self.roles.get(kind as usize).copied().unwrap_or_default();
        // Declarations whose name belongs to the enclosing scope come before the node's own scope.
        self.declare_outer(node);
        if let Some(scope_kind) = self.scope_kind(node, roles, parent) {
            let sid = self.idx.scopes.len() as ScopeId;
            let parent_scope = self.scope_stack.last().map(|s| s.0);
            self.idx.scopes.push(Scope {
                kind: scope_kind,
                node: id,
                parent: parent_scope,
            });
            self.scope_stack.push((sid, id));
            self.idx.node_scope[id as usize] = sid;
        }
        self.declare_inner(node);
    }

    fn leave(&mut self) {
        if let Some(id) = self.open.pop() {
            self.idx.ends[id as usize] = self.idx.nodes.len() as NodeId;
            if self.scope_stack.last().is_some_and(|s| s.1 == id) {
                self.scope_stack.pop();
            }
        }
    }

    fn scope_kind(&self, node: Node<'t>, roles: Roles, parent: NodeId) -> Option<ScopeKind> {
        if self.scope_stack.is_empty() {
            return Some(ScopeKind::Module);
        }
        if roles.contains(Roles::FUNCTION) {
            return Some(ScopeKind::Function);
        }
        if roles.contains(Roles::CLASS) && self.lang() == Language::Python {
            return Some(ScopeKind::Class);
        }
        if roles.contains(Roles::BLOCK_SCOPE) {
            if self.lang() == Language::Python {
                return Some(ScopeKind::Comprehension);
            }
            // A function's body block shares the function's scope.
            if node.kind() == "statement_block" && parent != NONE {
                let pk = self.idx.kinds[parent as usize];
                if self
                    .roles
                    .get(pk as usize)
                    .is_some_and(|r| r.contains(Roles::FUNCTION))
                {
                    return None;
                }
            }
            return Some(ScopeKind::Block);
        }
        None
    }

    fn bind(
        &mut self,
        name_node: Node<'t>,
        scope: ScopeId,
        kind: BindingKind,
        value: Option<Node<'t>>,
        destructured: bool,
    ) -> BindingId {
        let name = self.idx.text(name_node);
        let bid = self.idx.bindings.len() as BindingId;
        self.idx.bindings.push(Binding {
            name,
            node: name_node,
            scope,
            kind,
            value,
            destructured,
        });
        self.idx.by_name.entry(name).or_default().push(bid);
        bid
    }

    /// Binds every identifier of a declaration pattern, without descending into default values.
    fn bind_pattern(
        &mut self,
        pattern: Node<'t>,
        scope: ScopeId,
        kind: BindingKind,
        value: Option<Node<'t>>,
    ) {
        let destructured = !matches!(pattern.kind(), "identifier");
        let mut stack = vec![pattern];
        while let Some(p) = stack.pop() {
            match p.kind() {
                "identifier" | "shorthand_property_identifier_pattern" => {
                    self.bind(p, scope, kind, value, destructured);
                }
                "pair_pattern" => stack.extend(p.child_by_field_name("value")),
                "assignment_pattern" | "object_assignment_pattern" => {
                    stack.extend(p.child_by_field_name("left"))
                }
                "required_parameter" | "optional_parameter" => {
                    stack.extend(p.child_by_field_name("pattern"))
                }
                "default_parameter" | "typed_default_parameter" => {
                    stack.extend(p.child_by_field_name("name"))
                }
                "object_pattern"
                | "array_pattern"
                | "rest_pattern"
                | "pattern_list"
                | "tuple_pattern"
                | "list_pattern"
                | "list_splat_pattern"
                | "dictionary_splat_pattern"
                | "typed_parameter"
                | "parenthesized_expression"
                | "expression_list"
                | "formal_parameters"
                | "parameters"
                | "lambda_parameters" => {
                    let mut c = p.walk();
                    let children: Vec<Node<'t>> = p.named_children(&mut c).collect();
                    // Keep declaration order: the stack pops the last pushed first.
                    for child in children.into_iter().rev() {
                        if p.kind() == "typed_parameter" && child.kind() != "identifier" {
                            continue;
                        }
                        stack.push(child);
                    }
                }
                _ => {}
            }
        }
    }

    fn declare_outer(&mut self, node: Node<'t>) {
        let scope = self.current_scope();
        match node.kind() {
            "function_declaration"
            | "generator_function_declaration"
            | "class_declaration"
            | "abstract_class_declaration"
            | "function_definition"
            | "class_definition" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let kind = if node.kind().starts_with("class")
                        || node.kind().starts_with("abstract")
                    {
                        BindingKind::Class
                    } else {
                        BindingKind::Function
                    };
                    self.bind(name, scope, kind, None, false);
                }
            }
            "variable_declarator" => self.declare_variable(node),
            "import_statement" if self.lang().is_js_like() => self.declare_js_import(node),
            "import_statement" | "import_from_statement" => self.declare_py_import(node),
            "assignment" | "augmented_assignment" if self.lang() == Language::Python => {
                self.declare_py_assignment(node)
            }
            "assignment_expression" | "augmented_assignment_expression" => {
                if let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    if left.kind() == "identifier" {
                        let op = assign_op(&self.idx, node);
                        self.pending.push((left, scope, right, op));
                    }
                }
            }
            "named_expression" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let s = self.python_binding_scope();
                    let value = node.child_by_field_name("value");
                    self.bind_python_name(name, s, value, AssignOp::Assign);
                }
            }
            "global_statement" | "nonlocal_statement" => {
                let mut c = node.walk();
                let names: Vec<Node<'t>> = node
                    .named_children(&mut c)
                    .filter(|n| n.kind() == "identifier")
                    .collect();
                for n in names {
                    let name = self.idx.text(n);
                    self.idx.non_locals.push((scope, name));
                }
            }
            _ => {}
        }
    }

    fn declare_inner(&mut self, node: Node<'t>) {
        let scope = self.current_scope();
        match node.kind() {
            "formal_parameters" | "parameters" | "lambda_parameters" => {
                self.bind_pattern(node, scope, BindingKind::Parameter, None);
            }
            "arrow_function" => {
                if let Some(p) = node.child_by_field_name("parameter") {
                    self.bind(p, scope, BindingKind::Parameter, None, false);
                }
            }
            "catch_clause" => {
                if let Some(p) = node.child_by_field_name("parameter") {
                    self.bind_pattern(p, scope, BindingKind::Statement, None);
                }
            }
            "for_in_statement" => {
                if let Some(left) = node.child_by_field_name("left") {
                    // `for (const x of xs)`: the declaration kind is a sibling token.
                    let declared = node.child_by_field_name("kind").is_some();
                    let over_elements = node
                        .child_by_field_name("operator")
                        .is_some_and(|o| self.idx.text(o) == "of");
                    let value = node
                        .child_by_field_name("right")
                        .filter(|_| over_elements || self.lang() == Language::Python);
                    if declared || self.lang() == Language::Python {
                        self.bind_loop_target(left, value);
                    }
                }
            }
            "for_statement" | "for_in_clause" if self.lang() == Language::Python => {
                if let Some(left) = node.child_by_field_name("left") {
                    let value = node.child_by_field_name("right");
                    self.bind_loop_target(left, value);
                }
            }
            "as_pattern" if self.lang() == Language::Python => {
                if let Some(alias) = node.child_by_field_name("alias") {
                    let target = alias.named_child(0).unwrap_or(alias);
                    let s = self.function_scope_or_class();
                    // `with conn.cursor() as cur`: the value is the context expression (what
                    // `__enter__` returns is, for the handles rules care about, the same kind).
                    let value = node.named_child(0).filter(|v| v.id() != alias.id());
                    self.bind_pattern(target, s, BindingKind::Statement, value);
                }
            }
            "except_clause" => {
                // `except E as e` (older grammars put the name straight in the clause).
                if let Some(alias) = node.child_by_field_name("alias") {
                    let s = self.function_scope_or_class();
                    self.bind(alias, s, BindingKind::Statement, None, false);
                }
            }
            _ => {}
        }
    }

    /// Binds a loop's target. `iterable` is given for loops over elements (`for…of`, Python
    /// `for…in`), not over keys (JS `for…in`).
    fn bind_loop_target(&mut self, left: Node<'t>, iterable: Option<Node<'t>>) {
        let python = self.lang() == Language::Python;
        let scope = if python {
            match self.idx.scopes[self.current_scope() as usize].kind {
                ScopeKind::Comprehension => self.current_scope(),
                _ => self.function_scope_or_class(),
            }
        } else {
            self.current_scope()
        };
        if left.kind() != "identifier" {
            self.bind_pattern(left, scope, BindingKind::Statement, None);
            return;
        }
        let text = self.idx.text(left);
        let exists = python
            && self.idx.by_name.get(text).is_some_and(|bs| {
                bs.iter()
                    .any(|&b| self.idx.bindings[b as usize].scope == scope)
            });
        if !exists {
            self.bind(left, scope, BindingKind::LoopVar, iterable, false);
        } else {
            // A later loop over the same name (Python): an assignment of unknown elements
            // when the iterable is not known.
            self.pending
                .push((left, scope, iterable.unwrap_or(left), AssignOp::Loop));
        }
    }

    fn declare_variable(&mut self, node: Node<'t>) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let value = node.child_by_field_name("value");
        // The declaration keyword lives on the parent (`lexical_declaration` / `variable_declaration`).
        let parent = self.open.iter().rev().nth(1).copied();
        let (kind, scope) = match parent.map(|p| self.idx.nodes[p as usize]) {
            Some(p) if p.kind() == "variable_declaration" => {
                (BindingKind::Var, self.function_scope())
            }
            Some(p) if p.kind() == "lexical_declaration" => {
                let is_const = p.child(0).is_some_and(|k| self.idx.text(k) == "const");
                let kind = if is_const {
                    BindingKind::Const
                } else {
                    BindingKind::Let
                };
                (kind, self.current_scope())
            }
            _ => (BindingKind::Let, self.current_scope()),
        };
        // `const x = require('m')`, `const { a } = require('m')`, `const y = require('m').y`
        if let Some(v) = value {
            if let Some((module, member)) = self.require_of(v) {
                self.declare_require(name, module, member, scope, v);
                return;
            }
        }
        self.bind_pattern(name, scope, kind, value);
    }

    fn require_of(&self, value: Node<'t>) -> Option<(String, Option<String>)> {
        let mut v = value;
        if v.kind() == "await_expression" {
            v = v.named_child(0)?;
        }
        if let Some(m) = self.idx.require_source(v) {
            return Some((m.to_string(), None));
        }
        if v.kind() == "member_expression" {
            let obj = v.child_by_field_name("object")?;
            let prop = v.child_by_field_name("property")?;
            let m = self.idx.require_source(obj)?;
            return Some((m.to_string(), Some(self.idx.text(prop).to_string())));
        }
        None
    }

    fn declare_require(
        &mut self,
        name: Node<'t>,
        module: String,
        member: Option<String>,
        scope: ScopeId,
        value: Node<'t>,
    ) {
        let range = (value.start_byte(), value.end_byte());
        if name.kind() == "identifier" {
            let imported = member.map(Imported::Member).unwrap_or(Imported::Module);
            self.add_import(name, module, imported, scope, range, Some(value));
            return;
        }
        if name.kind() == "object_pattern" && member.is_none() {
            let mut c = name.walk();
            let props: Vec<Node<'t>> = name.named_children(&mut c).collect();
            for p in props {
                // `{ a }` imports `a` as `a`; `{ a: b }` imports `a` as `b`.
                let (local, member) = match p.kind() {
                    "shorthand_property_identifier_pattern" => (Some(p), Some(p)),
                    "pair_pattern" => (
                        p.child_by_field_name("value")
                            .filter(|v| v.kind() == "identifier"),
                        p.child_by_field_name("key"),
                    ),
                    _ => (None, None),
                };
                match (local, member) {
                    (Some(local), Some(member)) => {
                        let m = Imported::Member(self.idx.text(member).to_string());
                        self.add_import(local, module.clone(), m, scope, range, Some(value));
                    }
                    _ => self.bind_pattern(p, scope, BindingKind::Const, Some(value)),
                }
            }
            return;
        }
        self.bind_pattern(name, scope, BindingKind::Const, Some(value));
    }

    fn add_import(
        &mut self,
        local: Node<'t>,
        module: String,
        imported: Imported,
        scope: ScopeId,
        range: (usize, usize),
        value: Option<Node<'t>>,
    ) {
        let iid = self.idx.imports.len() as ImportId;
        self.idx.imports.push(Import {
            module,
            imported,
            local: self.idx.text(local).to_string(),
            range,
        });
        self.bind(local, scope, BindingKind::Import(iid), value, false);
    }

    fn declare_js_import(&mut self, node: Node<'t>) {
        let Some(source) = node.child_by_field_name("source") else {
            return;
        };
        let Some(module) = self.idx.string_value(source).map(str::to_string) else {
            return;
        };
        let scope = self.current_scope();
        let range = (node.start_byte(), node.end_byte());
        let mut c = node.walk();
        let clauses: Vec<Node<'t>> = node
            .named_children(&mut c)
            .filter(|n| n.kind() == "import_clause")
            .collect();
        for clause in clauses {
            let mut c2 = clause.walk();
            let parts: Vec<Node<'t>> = clause.named_children(&mut c2).collect();
            for part in parts {
                match part.kind() {
                    "identifier" => {
                        self.add_import(part, module.clone(), Imported::Module, scope, range, None)
                    }
                    "namespace_import" => {
                        let mut c3 = part.walk();
                        let id = part
                            .named_children(&mut c3)
                            .find(|n| n.kind() == "identifier");
                        if let Some(id) = id {
                            self.add_import(
                                id,
                                module.clone(),
                                Imported::Module,
                                scope,
                                range,
                                None,
                            );
                        }
                    }
                    "named_imports" => {
                        let mut c3 = part.walk();
                        let specs: Vec<Node<'t>> = part
                            .named_children(&mut c3)
                            .filter(|n| n.kind() == "import_specifier")
                            .collect();
                        for spec in specs {
                            let Some(name) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let local = spec.child_by_field_name("alias").unwrap_or(name);
                            let member = self
                                .idx
                                .string_value(name)
                                .unwrap_or_else(|| self.idx.text(name))
                                .to_string();
                            let imported = if member == "default" {
                                Imported::Module
                            } else {
                                Imported::Member(member)
                            };
                            self.add_import(local, module.clone(), imported, scope, range, None);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn declare_py_import(&mut self, node: Node<'t>) {
        let scope = self.function_scope_or_class();
        let range = (node.start_byte(), node.end_byte());
        let from_module = node
            .child_by_field_name("module_name")
            .map(|m| self.idx.text(m).to_string());
        let mut c = node.walk();
        let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut c).collect();
        for name in names {
            let (dotted, alias) = match name.kind() {
                "aliased_import" => (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ),
                _ => (Some(name), None),
            };
            let Some(dotted) = dotted else { continue };
            let dotted_text = self.idx.text(dotted).to_string();
            match &from_module {
                Some(module) => {
                    let local = alias.unwrap_or(dotted);
                    self.add_import(
                        local,
                        module.clone(),
                        Imported::Member(dotted_text),
                        scope,
                        range,
                        None,
                    );
                }
                None => match alias {
                    Some(alias) => {
                        self.add_import(alias, dotted_text, Imported::Module, scope, range, None)
                    }
                    None => {
                        // `import a.b.c` binds `a`.
                        let first = dotted.named_child(0).unwrap_or(dotted);
                        let module = self.idx.text(first).to_string();
                        self.add_import(first, module, Imported::Module, scope, range, None);
                    }
                },
            }
        }
    }

    fn declare_py_assignment(&mut self, node: Node<'t>) {
        let Some(left) = node.child_by_field_name("left") else {
            return;
        };
        let value = node.child_by_field_name("right");
        let op = assign_op(&self.idx, node);
        let scope = self.function_scope_or_class();
        let mut stack = vec![left];
        while let Some(t) = stack.pop() {
            match t.kind() {
                "identifier" => self.bind_python_name(t, scope, value, op),
                "pattern_list" | "tuple_pattern" | "list_pattern" | "list_splat_pattern"
                | "expression_list" | "tuple" | "list" => {
                    let mut c = t.walk();
                    let children: Vec<Node<'t>> = t.named_children(&mut c).collect();
                    stack.extend(children.into_iter().rev());
                }
                _ => {}
            }
        }
    }

    /// A Python assignment to a name: the first one in a scope declares it, later ones are
    /// assignments to it. `global`/`nonlocal` names are assignments to the outer binding.
    fn bind_python_name(
        &mut self,
        name: Node<'t>,
        scope: ScopeId,
        value: Option<Node<'t>>,
        op: AssignOp,
    ) {
        let text = self.idx.text(name);
        let is_nonlocal = self
            .idx
            .non_locals
            .iter()
            .any(|&(s, n)| s == scope && n == text);
        let existing = self.idx.by_name.get(text).and_then(|bs| {
            bs.iter()
                .copied()
                .find(|&b| self.idx.bindings[b as usize].scope == scope)
        });
        match (existing, value) {
            (None, _) if !is_nonlocal && op == AssignOp::Assign => {
                self.bind(name, scope, BindingKind::Assignment, value, false);
            }
            (None, _) if !is_nonlocal && value.is_none() => {
                self.bind(name, scope, BindingKind::Statement, None, false);
            }
            (_, Some(v)) => self.pending.push((name, scope, v, op)),
            (Some(_), None) | (None, None) => {}
        }
    }

    fn finish(mut self) -> Index<'t> {
        while let Some(id) = self.open.pop() {
            self.idx.ends[id as usize] = self.idx.nodes.len() as NodeId;
        }
        let pending = std::mem::take(&mut self.pending);
        for (target, scope, value, op) in pending {
            let binding = self.idx.lookup(self.idx.text(target), scope);
            self.idx.assignments.push(Assignment {
                target,
                binding,
                value,
                op,
            });
        }
        self.idx.assignments.sort_by_key(|a| a.target.start_byte());
        self.idx
    }
}

fn assign_op(idx: &Index<'_>, node: Node<'_>) -> AssignOp {
    let op = node
        .child_by_field_name("operator")
        .map(|o| idx.text(o))
        .unwrap_or("=");
    match op {
        "=" => AssignOp::Assign,
        "+=" => AssignOp::Add,
        _ => AssignOp::Other,
    }
}
