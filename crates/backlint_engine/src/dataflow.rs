//! Intra-function dataflow for strings: "can this expression contain non-constant text, and
//! where is that text spliced in?"
//!
//! [`splices`] walks an expression and, through local bindings, every value assigned to them
//! (declarations, `=`, `+=`, Python augmented assignment, `push`/`append` into a local list that
//! is later joined), and returns the places where a non-constant value is inserted into text by
//! a building operation: template substitutions, `+`, `.concat()`, `[…].join()`,
//! `util.format`, f-strings, `%` formatting, `.format()`, `"".join(…)`. An empty result means the
//! text is constant, or was only passed through (a bare parameter is not a splice: the caller
//! may have built it safely, and precision comes first).
//!
//! Constant: literals, template literals without substitutions, concatenations of constants,
//! variables whose every assignment is constant, names in SCREAMING_CASE (by convention
//! constants, also when imported), members of a constant object literal, numeric conversions
//! (`Number(x)`, `parseInt`, `int(x)`, `len(x)`, `.length`…), placeholder lists
//! (`ids.map(() => '?').join(',')`, `['%s'] * n`), and values guarded by an allow-list in the
//! same function (`ALLOWED.includes(x)`, `allowed.has(x)`, `x in ALLOWED`). Non-constant:
//! parameters, destructured or loop variables, calls, members of non-constant objects, anything
//! unknown. Library knowledge (which calls compose SQL safely) comes from a [`FlowPolicy`].
//!
//! Each binding is visited once per query and the walk has a step budget, so the cost is linear
//! in the size of the function.

use std::collections::HashSet;

use tree_sitter::Node;

use crate::index::{AssignOp, BindingId, BindingKind, Index, NodeId};
use crate::lang::Language;

/// What a call contributes to a string, as a rule's library knowledge sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallFlow {
    /// The result is safe text (e.g. a parameterising tagged template, an identifier quoter).
    Safe,
    /// Not known to the policy: the built-in rules of the language apply.
    Unknown,
}

/// Library knowledge the dataflow asks about calls.
pub trait FlowPolicy {
    fn call(&self, call: Node<'_>, idx: &Index<'_>) -> CallFlow;

    /// Whether a function passed by reference makes its input safe text
    /// (`names.map(driver.escape)`).
    fn safe_function(&self, _function: Node<'_>, _idx: &Index<'_>) -> bool {
        false
    }

    /// Whether a member access is framework metadata that is constant in practice
    /// (Django's `Model._meta.db_table`).
    fn safe_member(&self, _member: Node<'_>, _idx: &Index<'_>) -> bool {
        false
    }
}

/// A policy that knows no library.
pub struct NoPolicy;

impl FlowPolicy for NoPolicy {
    fn call(&self, _: Node<'_>, _: &Index<'_>) -> CallFlow {
        CallFlow::Unknown
    }
}

/// A place where non-constant text enters a string.
#[derive(Debug, Clone, Copy)]
pub struct Splice<'t> {
    /// The non-constant expression that is inserted.
    pub node: Node<'t>,
}

/// Calls whose result is a number (or a boolean): never injectable text.
const NUMERIC_CALLS: &[&str] = &[
    "Number",
    "parseInt",
    "parseFloat",
    "isNaN",
    "int",
    "float",
    "len",
    "round",
    "abs",
    "bool",
    "Boolean",
    "min",
    "max",
    "floor",
    "ceil",
    "toFixed",
    "count",
    "getTime",
    "valueOf",
    "now",
];
/// Objects whose every method returns a number.
const NUMERIC_OBJECTS: &[&str] = &["Math", "math"];
/// Members that are numbers.
const NUMERIC_MEMBERS: &[&str] = &["length", "size"];
/// Methods that return their receiver's text transformed, but not new text.
const TEXT_METHODS: &[&str] = &[
    "trim",
    "trimStart",
    "trimEnd",
    "toUpperCase",
    "toLowerCase",
    "toString",
    "strip",
    "lstrip",
    "rstrip",
    "upper",
    "lower",
    "padStart",
    "padEnd",
];
/// Functions that convert their argument to text.
const TEXT_FUNCTIONS: &[&str] = &["String", "str"];
/// Methods that test membership: `ALLOWED.includes(x)` guards `x`.
const MEMBERSHIP_METHODS: &[&str] = &["includes", "has", "indexOf", "hasOwnProperty", "contains"];

const MAX_STEPS: usize = 512;

/// Where non-constant text is spliced into `expr`, following local bindings. Empty when the
/// text is constant or only passed through.
pub fn splices<'t>(idx: &Index<'t>, expr: Node<'t>, policy: &dyn FlowPolicy) -> Vec<Splice<'t>> {
    let mut walk = Walk::new(idx, policy);
    walk.run(expr);
    walk.out
        .sort_by_key(|s| (s.node.start_byte(), s.node.end_byte()));
    walk.out
        .dedup_by_key(|s| (s.node.start_byte(), s.node.end_byte()));
    walk.out
}

/// Whether `expr` is constant text: no splice and not a bare non-constant value.
pub fn is_constant<'t>(idx: &Index<'t>, expr: Node<'t>, policy: &dyn FlowPolicy) -> bool {
    // Wrapping the value in a building position makes a bare parameter count too.
    let mut walk = Walk::new(idx, policy);
    walk.work(vec![(expr, true)]);
    walk.out.is_empty()
}

/// The constant text parts of a string expression, followed through local bindings the same
/// way (for rules that check what the text looks like, e.g. "is this SQL?").
pub fn literal_parts<'t>(idx: &Index<'t>, expr: Node<'t>) -> Vec<&'t str> {
    let mut parts: Vec<(usize, &'t str)> = Vec::new();
    let mut seen: HashSet<BindingId> = HashSet::new();
    let mut stack = vec![expr];
    let mut steps = 0;
    while let Some(n) = stack.pop() {
        steps += 1;
        if steps > MAX_STEPS {
            break;
        }
        match n.kind() {
            "string" | "string_fragment" | "string_content" => {
                if let Some(s) = idx.string_value(n) {
                    parts.push((n.start_byte(), s));
                } else if n.kind() != "string" {
                    parts.push((n.start_byte(), idx.text(n)));
                } else {
                    push_children(n, &mut stack);
                }
            }
            "template_string"
            | "concatenated_string"
            | "binary_expression"
            | "binary_operator"
            | "parenthesized_expression"
            | "await_expression"
            | "arguments"
            | "argument_list"
            | "array"
            | "list"
            | "ternary_expression"
            | "conditional_expression" => push_children(n, &mut stack),
            "call_expression" | "call" => {
                // `"...".format(x)`, `base.concat(x)`, `[...].join(' ')`: the receiver's text.
                if let Some(obj) = n
                    .child_by_field_name("function")
                    .and_then(|f| f.child_by_field_name("object"))
                {
                    stack.push(obj);
                }
                if let Some(args) = n.child_by_field_name("arguments") {
                    stack.push(args);
                }
            }
            "identifier" => {
                let Some(b) = idx.resolve(n) else { continue };
                if !seen.insert(b) {
                    continue;
                }
                stack.extend(idx.binding(b).value);
                stack.extend(idx.assignments_of(b).map(|a| a.value));
            }
            _ => {}
        }
    }
    // Source order approximates text order: a variable's value precedes its use.
    parts.sort_by_key(|p| p.0);
    parts.into_iter().map(|p| p.1).collect()
}

fn push_children<'t>(n: Node<'t>, stack: &mut Vec<Node<'t>>) {
    let mut c = n.walk();
    let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
    stack.extend(children.into_iter().rev());
}

struct Walk<'a, 't> {
    idx: &'a Index<'t>,
    policy: &'a dyn FlowPolicy,
    python: bool,
    seen: HashSet<BindingId>,
    out: Vec<Splice<'t>>,
    steps: usize,
}

impl<'a, 't> Walk<'a, 't> {
    fn new(idx: &'a Index<'t>, policy: &'a dyn FlowPolicy) -> Self {
        Walk {
            idx,
            policy,
            python: idx.language() == Some(Language::Python),
            seen: HashSet::new(),
            out: Vec::new(),
            steps: 0,
        }
    }

    fn run(&mut self, expr: Node<'t>) {
        self.work(vec![(expr, false)]);
    }

    /// `(node, building)`: `building` is true when the node's text is being inserted into a
    /// larger string, so a non-constant value there is a splice.
    fn work(&mut self, mut stack: Vec<(Node<'t>, bool)>) {
        while let Some((n, building)) = stack.pop() {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                // Out of budget: say nothing rather than guess (precision first).
                self.out.clear();
                return;
            }
            self.step(n, building, &mut stack);
        }
    }

    fn opaque(&mut self, n: Node<'t>, building: bool) {
        if building {
            self.out.push(Splice { node: n });
        }
    }

    fn step(&mut self, n: Node<'t>, building: bool, stack: &mut Vec<(Node<'t>, bool)>) {
        match n.kind() {
            // Literals.
            "string" if !self.python => {}
            "number" | "integer" | "float" | "true" | "false" | "null" | "undefined" | "none"
            | "True" | "False" | "None" | "regex" | "comment" => {}
            "string" => {
                // Python: an f-string splices its interpolations.
                let mut c = n.walk();
                for child in n.named_children(&mut c) {
                    if child.kind() == "interpolation" {
                        if let Some(e) = child.named_child(0) {
                            stack.push((e, true));
                        }
                    }
                }
            }
            "concatenated_string" => push_all(n, true, stack),
            "template_string" => {
                let mut c = n.walk();
                for child in n.named_children(&mut c) {
                    if child.kind() == "template_substitution" {
                        if let Some(e) = child.named_child(0) {
                            stack.push((e, true));
                        }
                    }
                }
            }
            "parenthesized_expression"
            | "await_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression"
            | "type_assertion" => {
                if let Some(inner) = n.named_child(0) {
                    stack.push((inner, building));
                }
            }
            "binary_expression" | "binary_operator" | "boolean_operator" => {
                self.binary(n, building, stack)
            }
            "ternary_expression" | "conditional_expression" => self.conditional(n, building, stack),
            "array" | "list" | "tuple" | "expression_list" | "set" => push_all(n, building, stack),
            // A dict of SQL fragments (Django `.extra(select={…})`): its values.
            "dictionary" | "object" => {
                let mut c = n.walk();
                for pair in n.named_children(&mut c) {
                    if let Some(v) = pair.child_by_field_name("value") {
                        stack.push((v, building));
                    }
                }
            }
            "identifier" | "shorthand_property_identifier" => self.identifier(n, building, stack),
            "member_expression" | "attribute" | "subscript_expression" | "subscript" => {
                self.member(n, building, stack)
            }
            "call_expression" | "call" => self.call(n, building, stack),
            "unary_expression" | "update_expression" | "unary_operator" => {}
            "comparison_operator" | "not_operator" => {}
            _ => self.opaque(n, building),
        }
    }

    fn binary(&mut self, n: Node<'t>, building: bool, stack: &mut Vec<(Node<'t>, bool)>) {
        let op = n
            .child_by_field_name("operator")
            .map(|o| self.idx.text(o))
            .unwrap_or("");
        let (Some(left), Some(right)) = (
            n.child_by_field_name("left"),
            n.child_by_field_name("right"),
        ) else {
            return self.opaque(n, building);
        };
        let number = |x: Node<'_>| matches!(x.kind(), "number" | "integer" | "float");
        let text = |x: Node<'_>| matches!(x.kind(), "string" | "template_string");
        match op {
            // `i + 1` is arithmetic, not text (unless text is on the other side).
            "+" if (number(left) && !text(right)) || (number(right) && !text(left)) => {}
            "+" => {
                stack.push((left, true));
                stack.push((right, true));
            }
            // `'%s, %s' % (a, b)`: the format and every value are spliced.
            "%" if self.python && is_texty(left) => {
                stack.push((left, true));
                match right.kind() {
                    "tuple" | "parenthesized_expression" => push_all(right, true, stack),
                    "dictionary" => {
                        let mut c = right.walk();
                        for pair in right.named_children(&mut c) {
                            if let Some(v) = pair.child_by_field_name("value") {
                                stack.push((v, true));
                            }
                        }
                    }
                    _ => stack.push((right, true)),
                }
            }
            // `['%s'] * n`, `'?' * n`: repeating constant text.
            "*" => {
                let texty = |x: Node<'_>| matches!(x.kind(), "string" | "list" | "array");
                if texty(left) {
                    stack.push((left, building));
                } else if texty(right) {
                    stack.push((right, building));
                }
            }
            "||" | "??" | "or" | "and" | "&&" => {
                stack.push((left, building));
                stack.push((right, building));
            }
            // Arithmetic and comparisons give numbers and booleans.
            _ => {}
        }
    }

    fn conditional(&mut self, n: Node<'t>, building: bool, stack: &mut Vec<(Node<'t>, bool)>) {
        // JS `c ? a : b` has fields; Python `a if c else b` is three children.
        let (cond, yes, no) = if self.python {
            (n.named_child(1), n.named_child(0), n.named_child(2))
        } else {
            (
                n.child_by_field_name("condition"),
                n.child_by_field_name("consequence"),
                n.child_by_field_name("alternative"),
            )
        };
        // `allowed.includes(x) ? x : 'created_at'`: the guarded branch is constant.
        let guarded = |branch: Option<Node<'t>>| {
            branch
                .zip(cond)
                .is_some_and(|(b, c)| self.membership_subject(c) == Some(self.idx.text(b)))
        };
        for b in [yes, no].into_iter().flatten() {
            if !guarded(Some(b)) {
                stack.push((b, building));
            }
        }
    }

    /// For `ALLOWED.includes(x)`, `allowed.has(x)`, `LIST.indexOf(opts.mode) !== -1`,
    /// `x in ALLOWED` (possibly negated): the text of `x` (a name or a member chain).
    fn membership_subject(&self, cond: Node<'t>) -> Option<&'t str> {
        let idx = self.idx;
        let mut c = cond;
        loop {
            match c.kind() {
                "unary_expression" | "not_operator" | "parenthesized_expression" => {
                    c = c
                        .child_by_field_name("argument")
                        .or_else(|| c.named_child(0))?;
                }
                // `LIST.indexOf(x) !== -1`, `list.indexOf(x) >= 0`
                "binary_expression" => c = c.child_by_field_name("left")?,
                _ => break,
            }
        }
        let subject = |n: Node<'t>| {
            matches!(n.kind(), "identifier" | "member_expression" | "attribute")
                .then(|| idx.text(n))
        };
        match c.kind() {
            "call_expression" | "call" => {
                let f = c.child_by_field_name("function")?;
                let method = f
                    .child_by_field_name("property")
                    .or_else(|| f.child_by_field_name("attribute"))?;
                if !MEMBERSHIP_METHODS.contains(&idx.text(method)) {
                    return None;
                }
                subject(c.child_by_field_name("arguments")?.named_child(0)?)
            }
            "comparison_operator" => {
                let mut cur = c.walk();
                let has_in = c
                    .children(&mut cur)
                    .any(|t| matches!(t.kind(), "in" | "not in"));
                if !has_in {
                    return None;
                }
                subject(c.named_child(0)?)
            }
            _ => None,
        }
    }

    /// Whether `name` is tested against an allow-list anywhere in the function around `at`.
    fn allow_listed(&self, name: &str, at: Node<'t>) -> bool {
        let idx = self.idx;
        let Some(id) = idx.id_of(at) else {
            return false;
        };
        let Some(func) = idx.enclosing_function(id) else {
            return false;
        };
        let end = idx.subtree_end(func);
        (func + 1..end).any(|i: NodeId| {
            let n = idx.node(i);
            matches!(
                n.kind(),
                "call_expression" | "call" | "comparison_operator" | "binary_expression"
            ) && self.membership_subject(n) == Some(name)
        })
    }

    fn identifier(&mut self, n: Node<'t>, building: bool, stack: &mut Vec<(Node<'t>, bool)>) {
        let idx = self.idx;
        let name = idx.text(n);
        if is_screaming_case(name) || matches!(name, "undefined" | "NaN" | "Infinity") {
            return;
        }
        let Some(b) = idx.resolve(n) else {
            return self.opaque(n, building);
        };
        let binding = *idx.binding(b);
        // A loop over a constant list (`for (const t of TABLES)`): its elements.
        if binding.kind == BindingKind::LoopVar {
            // The loop around this use that binds the name decides: its iterable must be a
            // constant list (a loop over keys, or over anything else, is not).
            let elements = self
                .binding_loop(n, name)
                .and_then(|it| self.constant_list(it));
            match elements {
                Some(elements) => stack.extend(elements.into_iter().map(|e| (e, building))),
                None => self.opaque(n, building),
            }
            return;
        }
        // `q, params = qs.query.sql_with_params()`: destructured from a call the policy
        // knows to produce safe text.
        if binding.destructured {
            if let Some(v) = binding.value {
                let v = if matches!(v.kind(), "await_expression" | "await") {
                    v.named_child(0).unwrap_or(v)
                } else {
                    v
                };
                if matches!(v.kind(), "call_expression" | "call")
                    && self.policy.call(v, idx) == CallFlow::Safe
                {
                    return;
                }
            }
        }
        let opaque_kind = matches!(
            binding.kind,
            BindingKind::Parameter
                | BindingKind::Statement
                | BindingKind::Import(_)
                | BindingKind::LoopVar
        ) || binding.destructured;
        if opaque_kind {
            if building && !self.allow_listed(name, n) {
                self.out.push(Splice { node: n });
            }
            return;
        }
        if !self.seen.insert(b) {
            return;
        }
        if building && self.allow_listed(name, n) {
            return;
        }
        if let Some(v) = binding.value {
            stack.push((v, building));
        }
        for a in idx.assignments_of(b) {
            // `sql += x` appends x to the text: x is spliced even if `sql` is only passed on.
            let appended = a.op == AssignOp::Add;
            stack.push((a.value, building || appended));
        }
        // `parts.push(x)` / `parts.append(x)` into a local list that is joined later.
        for v in self.pushed_values(b, n) {
            stack.push((v, building));
        }
    }

    /// The iterable of the nearest loop around `at` that binds `name` to its elements
    /// (`for (const name of xs)`, Python `for name in xs`); `None` for loops over keys and
    /// when no loop around `at` binds it.
    fn binding_loop(&self, at: Node<'t>, name: &str) -> Option<Node<'t>> {
        let idx = self.idx;
        let id = idx.id_of(at)?;
        for a in idx.ancestors(id) {
            let n = idx.node(a);
            if !matches!(
                n.kind(),
                "for_in_statement" | "for_statement" | "for_in_clause"
            ) {
                continue;
            }
            let Some(left) = n.child_by_field_name("left") else {
                continue;
            };
            if left.kind() != "identifier" || idx.text(left) != name {
                continue;
            }
            let over_keys = !self.python
                && n.child_by_field_name("operator")
                    .is_some_and(|o| idx.text(o) == "in");
            return if over_keys {
                None
            } else {
                n.child_by_field_name("right")
            };
        }
        None
    }

    /// The elements of a list literal an expression is (directly, through a constant binding,
    /// or a SCREAMING_CASE name bound to one), if it is one.
    fn constant_list(&self, iterable: Node<'t>) -> Option<Vec<Node<'t>>> {
        let idx = self.idx;
        let list = match iterable.kind() {
            "array" | "list" | "tuple" => iterable,
            "identifier" => idx.const_value(iterable)?,
            _ => return None,
        };
        if !matches!(list.kind(), "array" | "list" | "tuple") {
            return None;
        }
        let mut c = list.walk();
        Some(
            list.named_children(&mut c)
                .filter(|n| n.kind() != "comment")
                .collect(),
        )
    }

    /// Values pushed or appended into the list bound to `b`, in the function around `at`.
    fn pushed_values(&self, b: BindingId, at: Node<'t>) -> Vec<Node<'t>> {
        let idx = self.idx;
        let Some(id) = idx.id_of(at) else {
            return Vec::new();
        };
        // The enclosing function, or the whole module (node 0) at top level.
        let scope_node = idx.enclosing_function(id).unwrap_or_default();
        let end = idx.subtree_end(scope_node);
        let mut out = Vec::new();
        for i in scope_node..end {
            let call = idx.node(i);
            if !matches!(call.kind(), "call_expression" | "call") {
                continue;
            }
            let Some(f) = call.child_by_field_name("function") else {
                continue;
            };
            let (Some(obj), Some(method)) = (
                f.child_by_field_name("object"),
                f.child_by_field_name("property")
                    .or_else(|| f.child_by_field_name("attribute")),
            ) else {
                continue;
            };
            if !matches!(
                idx.text(method),
                "push" | "unshift" | "append" | "extend" | "insert"
            ) {
                continue;
            }
            if obj.kind() != "identifier" || idx.resolve(obj) != Some(b) {
                continue;
            }
            if let Some(args) = call.child_by_field_name("arguments") {
                let mut c = args.walk();
                out.extend(args.named_children(&mut c));
            }
        }
        out
    }

    fn member(&mut self, n: Node<'t>, building: bool, stack: &mut Vec<(Node<'t>, bool)>) {
        let idx = self.idx;
        let prop = n
            .child_by_field_name("property")
            .or_else(|| n.child_by_field_name("attribute"));
        if prop.is_some_and(|p| NUMERIC_MEMBERS.contains(&idx.text(p))) {
            return;
        }
        if self.policy.safe_member(n, idx) || self.allow_listed(idx.text(n), n) {
            return;
        }
        // The root of the chain: `TABLES.users`, `config.db.table`.
        let mut root = n;
        while let Some(o) = root.child_by_field_name("object").or_else(|| {
            matches!(root.kind(), "subscript" | "attribute")
                .then(|| root.child_by_field_name("value"))
                .flatten()
        }) {
            root = o;
        }
        if root.kind() == "identifier" {
            let name = idx.text(root);
            if is_screaming_case(name) {
                return;
            }
            // A member of a constant object literal: `const cols = { name: 'name' }; cols.name`.
            if let (Some(value), Some(p)) = (idx.const_value(root), prop) {
                if matches!(value.kind(), "object" | "dictionary")
                    && root == n.child_by_field_name("object").unwrap_or(root)
                {
                    let key = idx.text(p);
                    let mut c = value.walk();
                    for pair in value.named_children(&mut c) {
                        let k = pair.child_by_field_name("key");
                        let matches_key = k.is_some_and(|k| {
                            idx.string_value(k).unwrap_or_else(|| idx.text(k)) == key
                        });
                        if matches_key {
                            if let Some(v) = pair.child_by_field_name("value") {
                                stack.push((v, building));
                                return;
                            }
                        }
                    }
                }
            }
        }
        self.opaque(n, building)
    }

    fn call(&mut self, n: Node<'t>, building: bool, stack: &mut Vec<(Node<'t>, bool)>) {
        let idx = self.idx;
        if self.policy.call(n, idx) == CallFlow::Safe {
            return;
        }
        let Some(f) = n.child_by_field_name("function") else {
            return self.opaque(n, building);
        };
        let args = n.child_by_field_name("arguments");
        let arg_nodes: Vec<Node<'t>> = args
            .map(|a| {
                let mut c = a.walk();
                a.named_children(&mut c)
                    .map(|x| match x.kind() {
                        "keyword_argument" => x.child_by_field_name("value").unwrap_or(x),
                        _ => x,
                    })
                    .collect()
            })
            .unwrap_or_default();
        // A tagged template (`sql\`…\``) the policy does not know is opaque.
        if args.is_some_and(|a| a.kind() == "template_string") {
            return self.opaque(n, building);
        }
        let (object, name) = match f.kind() {
            "identifier" => (None, idx.text(f)),
            "member_expression" | "attribute" => (
                f.child_by_field_name("object"),
                f.child_by_field_name("property")
                    .or_else(|| f.child_by_field_name("attribute"))
                    .map(|p| idx.text(p))
                    .unwrap_or(""),
            ),
            _ => return self.opaque(n, building),
        };
        let object_name = object
            .filter(|o| o.kind() == "identifier")
            .map(|o| idx.text(o));
        if NUMERIC_CALLS.contains(&name)
            || object_name.is_some_and(|o| NUMERIC_OBJECTS.contains(&o))
        {
            return;
        }
        match (object, name) {
            (None, f) if TEXT_FUNCTIONS.contains(&f) => {
                stack.extend(arg_nodes.first().map(|a| (*a, building)));
            }
            (Some(o), m) if TEXT_METHODS.contains(&m) => stack.push((o, building)),
            // `base.concat(a, b)`
            (Some(o), "concat") => {
                stack.push((o, true));
                stack.extend(arg_nodes.iter().map(|a| (*a, true)));
            }
            // `util.format(fmt, …)`
            (Some(o), "format") if !self.python && idx.text(o) == "util" => {
                stack.extend(arg_nodes.iter().map(|a| (*a, true)));
            }
            // `"...{}".format(x)`
            (Some(o), "format") if self.python => {
                stack.push((o, true));
                stack.extend(arg_nodes.iter().map(|a| (*a, true)));
            }
            // JS `[a, b].join(sep)`, Python `sep.join(items)`
            (Some(o), "join") => {
                let (items, sep) = if self.python {
                    (arg_nodes.first().copied(), Some(o))
                } else {
                    (Some(o), arg_nodes.first().copied())
                };
                stack.extend(sep.map(|s| (s, true)));
                if let Some(items) = items {
                    self.joined(items, stack);
                }
            }
            _ => self.opaque(n, building),
        }
    }

    /// The elements of a list that is joined into text.
    fn joined(&mut self, items: Node<'t>, stack: &mut Vec<(Node<'t>, bool)>) {
        let idx = self.idx;
        match items.kind() {
            // `ids.map(() => '?')`, `ids.map((_, i) => `$${i + 1}`)`
            "call_expression" => {
                let f = items.child_by_field_name("function");
                let method = f
                    .and_then(|f| f.child_by_field_name("property"))
                    .map(|p| idx.text(p));
                let callback = items
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0));
                match (method, callback) {
                    // `names.map(driver.escape)`
                    (Some("map"), Some(cb)) if self.policy.safe_function(cb, idx) => {}
                    (Some("map"), Some(cb)) if cb.kind() == "arrow_function" => {
                        match cb.child_by_field_name("body") {
                            Some(body) if body.kind() != "statement_block" => {
                                stack.push((body, true))
                            }
                            _ => self.opaque(items, true),
                        }
                    }
                    _ => stack.push((items, true)),
                }
            }
            // `'?' for _ in ids`, `f"{c} = %s" for c in cols`
            "generator_expression" | "list_comprehension" => {
                match items.child_by_field_name("body") {
                    Some(body) => stack.push((body, true)),
                    None => self.opaque(items, true),
                }
            }
            _ => stack.push((items, true)),
        }
    }
}

fn push_all<'t>(n: Node<'t>, building: bool, stack: &mut Vec<(Node<'t>, bool)>) {
    let mut c = n.walk();
    let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
    stack.extend(children.into_iter().rev().map(|x| (x, building)));
}

fn is_texty(n: Node<'_>) -> bool {
    matches!(
        n.kind(),
        "string" | "concatenated_string" | "identifier" | "binary_operator"
    )
}

/// `TABLE_NAME`, `MAX`, `SQL2`: by convention a constant. One letter is not enough.
pub fn is_screaming_case(name: &str) -> bool {
    name.len() >= 2
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}
