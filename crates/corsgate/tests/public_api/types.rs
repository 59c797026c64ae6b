//! Types rendered as Rust writes them, and the headers, bounds and attributes of an item.

use super::*;

impl<'a> PublicApi<'a> {
    /// A type as Rust writes it, every named type by its full path: this crate's by their
    /// canonical public path, other crates' by where they are defined (`core::option::Option`).
    pub(super) fn ty(&self, ty: &Type) -> String {
        match ty {
            Type::ResolvedPath(p) => self.path(p),
            Type::DynTrait(d) => format!("dyn {}", self.dyn_bounds(d)),
            Type::Generic(name) | Type::Primitive(name) => name.clone(),
            Type::FunctionPointer(f) => {
                let inputs: Vec<String> = f
                    .sig
                    .inputs
                    .iter()
                    .map(|(_, ty)| self.ty(ty))
                    .chain(f.sig.is_c_variadic.then(|| "...".to_owned()))
                    .collect();
                format!(
                    "{}{}fn({}){}",
                    self.higher_ranked(&f.generic_params),
                    qualifiers(&f.header),
                    inputs.join(", "),
                    self.output(f.sig.output.as_ref())
                )
            }
            Type::Tuple(items) if items.len() == 1 => format!("({},)", self.ty(&items[0])),
            Type::Tuple(items) => {
                let items: Vec<String> = items.iter().map(|t| self.ty(t)).collect();
                format!("({})", items.join(", "))
            }
            Type::Slice(inner) => format!("[{}]", self.ty(inner)),
            Type::Array { type_, len } => format!("[{}; {len}]", self.ty(type_)),
            Type::Pat {
                type_,
                __pat_unstable_do_not_use: pattern,
            } => format!("{} is {pattern}", self.ty(type_)),
            Type::ImplTrait(bounds) => format!("impl {}", self.bounds(bounds)),
            Type::Infer => "_".to_owned(),
            Type::RawPointer { is_mutable, type_ } => format!(
                "*{} {}",
                if *is_mutable { "mut" } else { "const" },
                self.pointee(type_)
            ),
            Type::BorrowedRef {
                lifetime,
                is_mutable,
                type_,
            } => format!(
                "&{}{}{}",
                lifetime
                    .as_deref()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default(),
                if *is_mutable { "mut " } else { "" },
                self.pointee(type_)
            ),
            Type::QualifiedPath {
                name,
                args,
                self_type,
                trait_,
            } => {
                let args = self.generic_args(args.as_deref());
                match trait_ {
                    Some(trait_) if !trait_.path.is_empty() => format!(
                        "<{} as {}>::{name}{args}",
                        self.ty(self_type),
                        self.path(trait_)
                    ),
                    _ => format!("{}::{name}{args}", self.ty(self_type)),
                }
            }
        }
    }

    /// The type behind `&` or `*`: `dyn A + B` and `impl A + B` need brackets there.
    pub(super) fn pointee(&self, ty: &Type) -> String {
        let several = match ty {
            Type::DynTrait(d) => d.traits.len() + usize::from(d.lifetime.is_some()) > 1,
            Type::ImplTrait(bounds) => bounds.len() > 1,
            _ => false,
        };
        if several {
            format!("({})", self.ty(ty))
        } else {
            self.ty(ty)
        }
    }

    pub(super) fn dyn_bounds(&self, d: &rustdoc_types::DynTrait) -> String {
        let mut parts: Vec<String> = d
            .traits
            .iter()
            .map(|t| {
                format!(
                    "{}{}",
                    self.higher_ranked(&t.generic_params),
                    self.path(&t.trait_)
                )
            })
            .collect();
        parts.extend(d.lifetime.clone());
        parts.join(" + ")
    }

    /// A path with its generic arguments.
    pub(super) fn path(&self, p: &rustdoc_types::Path) -> String {
        format!(
            "{}{}",
            self.name_of(p),
            self.generic_args(p.args.as_deref())
        )
    }

    pub(super) fn name_of(&self, p: &rustdoc_types::Path) -> String {
        if let Some(path) = self.canonical.get(&p.id) {
            return path.join("::");
        }
        match self.krate.paths.get(&p.id) {
            Some(summary) => summary.path.join("::"),
            None => p.path.clone(),
        }
    }

    pub(super) fn generic_args(&self, args: Option<&GenericArgs>) -> String {
        match args {
            None => String::new(),
            Some(GenericArgs::AngleBracketed { args, constraints }) => {
                let mut parts: Vec<String> = args
                    .iter()
                    .map(|arg| match arg {
                        GenericArg::Lifetime(lifetime) => lifetime.clone(),
                        GenericArg::Type(ty) => self.ty(ty),
                        GenericArg::Const(c) => c.expr.clone(),
                        GenericArg::Infer => "_".to_owned(),
                    })
                    .collect();
                parts.extend(constraints.iter().map(|c| {
                    let args = self.generic_args(c.args.as_deref());
                    match &c.binding {
                        rustdoc_types::AssocItemConstraintKind::Equality(term) => {
                            format!("{}{args} = {}", c.name, self.term(term))
                        }
                        rustdoc_types::AssocItemConstraintKind::Constraint(bounds) => {
                            format!("{}{args}: {}", c.name, self.bounds(bounds))
                        }
                    }
                }));
                if parts.is_empty() {
                    String::new()
                } else {
                    format!("<{}>", parts.join(", "))
                }
            }
            Some(GenericArgs::Parenthesized { inputs, output }) => {
                let inputs: Vec<String> = inputs.iter().map(|t| self.ty(t)).collect();
                format!("({}){}", inputs.join(", "), self.output(output.as_ref()))
            }
            Some(GenericArgs::ReturnTypeNotation) => "(..)".to_owned(),
        }
    }

    pub(super) fn term(&self, term: &Term) -> String {
        match term {
            Term::Type(ty) => self.ty(ty),
            Term::Constant(c) => c.expr.clone(),
        }
    }
}

/// ` where A, B` or nothing.
pub(super) fn where_clause(bounds: &[String]) -> String {
    if bounds.is_empty() {
        String::new()
    } else {
        format!(" where {}", bounds.join(", "))
    }
}

/// ` = value` of an associated const with a value, or nothing.
pub(super) fn value_suffix(value: Option<&str>) -> String {
    value.map(|v| format!(" = {v}")).unwrap_or_default()
}

/// `const async unsafe extern "C" ` as a function header has them.
pub(super) fn qualifiers(header: &FunctionHeader) -> String {
    let mut text = String::new();
    for (on, word) in [
        (header.is_const, "const "),
        (header.is_async, "async "),
        (header.is_unsafe, "unsafe "),
    ] {
        if on {
            text.push_str(word);
        }
    }
    let (abi, unwind) = match &header.abi {
        Abi::Rust => return text,
        Abi::C { unwind } => ("C", *unwind),
        Abi::Cdecl { unwind } => ("cdecl", *unwind),
        Abi::Stdcall { unwind } => ("stdcall", *unwind),
        Abi::Fastcall { unwind } => ("fastcall", *unwind),
        Abi::Aapcs { unwind } => ("aapcs", *unwind),
        Abi::Win64 { unwind } => ("win64", *unwind),
        Abi::SysV64 { unwind } => ("sysv64", *unwind),
        Abi::System { unwind } => ("system", *unwind),
        Abi::Other(name) => (name.as_str(), false),
    };
    text.push_str(&format!(
        "extern \"{abi}{}\" ",
        if unwind { "-unwind" } else { "" }
    ));
    text
}

/// The attributes that are part of an item's contract, as a prefix (`#[non_exhaustive] `).
pub(super) fn attributes(item: &Item) -> String {
    let mut text = String::new();
    if item.deprecation.is_some() {
        text.push_str("#[deprecated] ");
    }
    for attr in &item.attrs {
        let shown = match attr {
            Attribute::NonExhaustive => "#[non_exhaustive]".to_owned(),
            Attribute::MustUse { .. } => "#[must_use]".to_owned(),
            Attribute::NoMangle => "#[no_mangle]".to_owned(),
            Attribute::ExportName(name) => format!("#[export_name = {name:?}]"),
            Attribute::Repr(repr) => {
                let mut parts: Vec<String> = Vec::new();
                match repr.kind {
                    ReprKind::Rust => {}
                    ReprKind::C => parts.push("C".to_owned()),
                    ReprKind::Transparent => parts.push("transparent".to_owned()),
                    ReprKind::Simd => parts.push("simd".to_owned()),
                }
                parts.extend(repr.int.clone());
                parts.extend(repr.align.map(|n| format!("align({n})")));
                parts.extend(repr.packed.map(|n| format!("packed({n})")));
                format!("#[repr({})]", parts.join(", "))
            }
            // Derive markers, inlining hints, lints, serde's attributes: not the API.
            _ => continue,
        };
        text.push_str(&shown);
        text.push(' ');
    }
    text
}
