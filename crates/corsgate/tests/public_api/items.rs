//! Each item rendered as a listing line: variants, fields, trait and inherent items, signatures, generics.

use super::*;

impl<'a> PublicApi<'a> {
    /// Whether `ty` is a public type of this crate, whose impls are listed with it.
    pub(super) fn is_listed_with_its_type(&self, ty: &Type) -> bool {
        match ty {
            Type::ResolvedPath(p) => self.canonical.contains_key(&p.id),
            _ => false,
        }
    }

    pub(super) fn variant(&self, item: &Item, name: &str) -> String {
        let ItemEnum::Variant(v) = &item.inner else {
            return name.to_owned();
        };
        let shape = match &v.kind {
            VariantKind::Plain => String::new(),
            VariantKind::Tuple(fields) => format!("({})", self.tuple_fields(fields, "")),
            VariantKind::Struct {
                fields,
                has_stripped_fields,
            } => {
                let mut parts: Vec<String> = fields
                    .iter()
                    .filter_map(|id| self.item(id))
                    .map(|field| match &field.inner {
                        ItemEnum::StructField(ty) => format!(
                            "{}{}: {}",
                            attributes(field),
                            field.name.as_deref().unwrap_or("_"),
                            self.ty(ty)
                        ),
                        _ => "_".to_owned(),
                    })
                    .collect();
                if *has_stripped_fields {
                    parts.push("/* private fields */".to_owned());
                }
                format!(" {{ {} }}", parts.join(", "))
            }
        };
        let discriminant = match &v.discriminant {
            Some(d) => format!(" = {}", d.expr),
            None => String::new(),
        };
        format!("{name}{shape}{discriminant}")
    }

    /// `pub u8, _` for a tuple struct (private fields as `_`), `u8, T` for a tuple variant.
    pub(super) fn tuple_fields(&self, fields: &[Option<Id>], public: &str) -> String {
        fields
            .iter()
            .map(|field| match field.as_ref().and_then(|id| self.item(id)) {
                Some(item) => match &item.inner {
                    ItemEnum::StructField(ty) => {
                        format!("{}{public}{}", attributes(item), self.ty(ty))
                    }
                    _ => "_".to_owned(),
                },
                None => "_".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// An item of a trait definition.
    pub(super) fn trait_item(&self, item: &Item, owner: &str) -> String {
        let name = format!("{owner}::{}", item.name.as_deref().unwrap_or("_"));
        let text = match &item.inner {
            ItemEnum::Function(f) => {
                let body = if f.has_body { " { .. }" } else { "" };
                format!("pub {}{body}", self.function(&name, f, &[]))
            }
            ItemEnum::AssocConst { type_, value } => {
                format!(
                    "pub const {name}: {}{}",
                    self.ty(type_),
                    value_suffix(value.as_deref())
                )
            }
            ItemEnum::AssocType {
                generics,
                bounds,
                type_,
            } => self.assoc_type(&name, generics, bounds, type_.as_ref()),
            _ => format!("pub {name}"),
        };
        format!("{}{text}", attributes(item))
    }

    /// An item of an inherent impl, named through the type (`corsgate::Config::new`); bounds
    /// of the impl block join the item's own where clause.
    pub(super) fn inherent_item(
        &self,
        item: &Item,
        owner: &str,
        impl_generics: &Generics,
    ) -> Option<String> {
        let name = format!("{owner}::{}", item.name.as_deref()?);
        let impl_bounds = self.bound_list(impl_generics);
        let text = match &item.inner {
            ItemEnum::Function(f) => format!("pub {}", self.function(&name, f, &impl_bounds)),
            ItemEnum::AssocConst { type_, value } => format!(
                "pub const {name}: {}{}{}",
                self.ty(type_),
                value_suffix(value.as_deref()),
                where_clause(&impl_bounds)
            ),
            ItemEnum::AssocType {
                generics,
                bounds,
                type_,
            } => self.assoc_type(&name, generics, bounds, type_.as_ref()),
            _ => return None,
        };
        Some(format!("{}{text}", attributes(item)))
    }

    /// `impl<G> Trait for Type where ...`, then its associated types and consts indented (its
    /// methods are the trait's). `None` for auto-trait and blanket impls.
    pub(super) fn trait_impl(&self, imp: &Impl) -> Option<String> {
        let trait_ = imp.trait_.as_ref()?;
        if imp.is_synthetic || imp.blanket_impl.is_some() {
            return None;
        }
        let (params, bounds) = self.generics(&imp.generics);
        let mut text = format!(
            "{}impl{params} {}{} for {}{bounds}",
            if imp.is_unsafe { "unsafe " } else { "" },
            if imp.is_negative { "!" } else { "" },
            self.path(trait_),
            self.ty(&imp.for_),
        );
        let mut members: Vec<String> = imp
            .items
            .iter()
            .filter_map(|id| self.item(id))
            .filter_map(|item| {
                let name = item.name.as_deref()?;
                match &item.inner {
                    ItemEnum::AssocType {
                        generics,
                        bounds,
                        type_,
                    } => Some(self.assoc_type(name, generics, bounds, type_.as_ref())),
                    ItemEnum::AssocConst { type_, value } => Some(format!(
                        "const {name}: {}{}",
                        self.ty(type_),
                        value_suffix(value.as_deref())
                    )),
                    _ => None,
                }
            })
            .map(|member| member.trim_start_matches("pub ").to_owned())
            .collect();
        members.sort();
        for member in members {
            text.push_str("\n    ");
            text.push_str(&member);
        }
        Some(text)
    }

    pub(super) fn assoc_type(
        &self,
        name: &str,
        generics: &Generics,
        bounds: &[GenericBound],
        ty: Option<&Type>,
    ) -> String {
        let (params, where_) = self.generics(generics);
        let bounds = if bounds.is_empty() {
            String::new()
        } else {
            format!(": {}", self.bounds(bounds))
        };
        let ty = ty.map(|t| format!(" = {}", self.ty(t))).unwrap_or_default();
        format!("pub type {name}{params}{bounds}{where_}{ty}")
    }

    /// `fn name<G>(args) -> R where ...`, with qualifiers; `extra_bounds` join the where clause.
    pub(super) fn function(&self, name: &str, f: &Function, extra_bounds: &[String]) -> String {
        let params = self.params(&f.generics.params);
        let mut bounds = self.where_predicates(&f.generics.where_predicates);
        bounds.extend(extra_bounds.iter().cloned());
        let inputs: Vec<String> = f
            .sig
            .inputs
            .iter()
            .map(|(arg, ty)| {
                if arg == "self" {
                    self.self_param(ty)
                } else {
                    format!("{arg}: {}", self.ty(ty))
                }
            })
            .chain(f.sig.is_c_variadic.then(|| "...".to_owned()))
            .collect();
        format!(
            "{}fn {name}{params}({}){}{}",
            qualifiers(&f.header),
            inputs.join(", "),
            self.output(f.sig.output.as_ref()),
            where_clause(&bounds)
        )
    }

    pub(super) fn self_param(&self, ty: &Type) -> String {
        let is_self = |t: &Type| matches!(t, Type::Generic(name) if name == "Self");
        match ty {
            t if is_self(t) => "self".to_owned(),
            Type::BorrowedRef {
                lifetime,
                is_mutable,
                type_,
            } if is_self(type_) => format!(
                "&{}{}self",
                lifetime
                    .as_deref()
                    .map(|l| format!("{l} "))
                    .unwrap_or_default(),
                if *is_mutable { "mut " } else { "" }
            ),
            _ => format!("self: {}", self.ty(ty)),
        }
    }

    pub(super) fn output(&self, output: Option<&Type>) -> String {
        match output {
            None => String::new(),
            Some(Type::Tuple(items)) if items.is_empty() => String::new(),
            Some(ty) => format!(" -> {}", self.ty(ty)),
        }
    }

    /// (`<'a, T: Bound = Default, const N: usize>`, ` where T: Other`) of a generics list.
    pub(super) fn generics(&self, generics: &Generics) -> (String, String) {
        (
            self.params(&generics.params),
            where_clause(&self.where_predicates(&generics.where_predicates)),
        )
    }

    /// The declared generic parameters; those rustdoc made up for `impl Trait` arguments are
    /// shown where they are written instead.
    pub(super) fn params(&self, params: &[GenericParamDef]) -> String {
        let shown: Vec<String> = params
            .iter()
            .filter(|p| {
                !matches!(
                    p.kind,
                    GenericParamDefKind::Type {
                        is_synthetic: true,
                        ..
                    }
                )
            })
            .map(|p| self.param(p))
            .collect();
        if shown.is_empty() {
            String::new()
        } else {
            format!("<{}>", shown.join(", "))
        }
    }

    pub(super) fn param(&self, p: &GenericParamDef) -> String {
        match &p.kind {
            GenericParamDefKind::Lifetime { outlives } if outlives.is_empty() => p.name.clone(),
            GenericParamDefKind::Lifetime { outlives } => {
                format!("{}: {}", p.name, outlives.join(" + "))
            }
            GenericParamDefKind::Type {
                bounds, default, ..
            } => {
                let mut text = p.name.clone();
                if !bounds.is_empty() {
                    text.push_str(": ");
                    text.push_str(&self.bounds(bounds));
                }
                if let Some(ty) = default {
                    text.push_str(" = ");
                    text.push_str(&self.ty(ty));
                }
                text
            }
            GenericParamDefKind::Const { type_, default } => format!(
                "const {}: {}{}",
                p.name,
                self.ty(type_),
                default
                    .as_deref()
                    .map(|d| format!(" = {d}"))
                    .unwrap_or_default()
            ),
        }
    }

    /// Bounds of the parameters and where clause of an impl block, as where-clause items.
    pub(super) fn bound_list(&self, generics: &Generics) -> Vec<String> {
        let mut list: Vec<String> = generics
            .params
            .iter()
            .filter_map(|p| match &p.kind {
                GenericParamDefKind::Type { bounds, .. } if !bounds.is_empty() => {
                    Some(format!("{}: {}", p.name, self.bounds(bounds)))
                }
                GenericParamDefKind::Lifetime { outlives } if !outlives.is_empty() => {
                    Some(format!("{}: {}", p.name, outlives.join(" + ")))
                }
                _ => None,
            })
            .collect();
        list.extend(self.where_predicates(&generics.where_predicates));
        list
    }

    pub(super) fn where_predicates(&self, predicates: &[WherePredicate]) -> Vec<String> {
        predicates
            .iter()
            .map(|p| match p {
                WherePredicate::BoundPredicate {
                    type_,
                    bounds,
                    generic_params,
                } => format!(
                    "{}{}: {}",
                    self.higher_ranked(generic_params),
                    self.ty(type_),
                    self.bounds(bounds)
                ),
                WherePredicate::LifetimePredicate { lifetime, outlives } => {
                    format!("{lifetime}: {}", outlives.join(" + "))
                }
                WherePredicate::EqPredicate { lhs, rhs } => {
                    format!("{} == {}", self.ty(lhs), self.term(rhs))
                }
            })
            .collect()
    }

    /// `for<'a> ` of a higher-ranked bound or type, or nothing.
    pub(super) fn higher_ranked(&self, params: &[GenericParamDef]) -> String {
        if params.is_empty() {
            String::new()
        } else {
            let params: Vec<String> = params.iter().map(|p| self.param(p)).collect();
            format!("for<{}> ", params.join(", "))
        }
    }

    pub(super) fn bounds(&self, bounds: &[GenericBound]) -> String {
        bounds
            .iter()
            .map(|b| self.bound(b))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    pub(super) fn bound(&self, bound: &GenericBound) -> String {
        match bound {
            GenericBound::TraitBound {
                trait_,
                generic_params,
                modifier,
            } => format!(
                "{}{}{}",
                self.higher_ranked(generic_params),
                match modifier {
                    TraitBoundModifier::None => "",
                    TraitBoundModifier::Maybe => "?",
                    TraitBoundModifier::MaybeConst => "[const] ",
                },
                self.path(trait_)
            ),
            GenericBound::Outlives(lifetime) => lifetime.clone(),
            GenericBound::Use(args) => {
                let args: Vec<&str> =
                    args.iter()
                        .map(|a| match a {
                            PreciseCapturingArg::Lifetime(name)
                            | PreciseCapturingArg::Param(name) => name.as_str(),
                        })
                        .collect();
                format!("use<{}>", args.join(", "))
            }
        }
    }
}
