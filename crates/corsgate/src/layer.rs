//! The tower layer: [`CorsLayer`] and the [`CorsService`] it wraps services in.
//!
//! Works with anything built on tower and `http` 1: axum 0.8, hyper 1 (through
//! `hyper-util`'s tower adapter), tonic. Generic over request and response bodies; a
//! preflight answered by corsgate has an empty body (`ResBody::default()`).
//!
//! # Where to put it
//!
//! Outermost, or at least outside routing, authentication and error handling:
//!
//! - preflights are `OPTIONS` requests without credentials: a router without an `OPTIONS`
//!   route answers 405 and an auth layer answers 401 before CORS could answer them, and the
//!   browser then reports a CORS error instead of the real cause;
//! - error responses (401, 404, 500...) need CORS headers too, or the page sees "blocked by
//!   CORS policy" instead of the status it could handle.
//!
//! With axum, `Router::layer` wraps the routes added before it, so add the CORS layer last:
//!
//! ```
//! use axum::{routing::get, Router};
//!
//! let cors = corsgate::Config::new()
//!     .allow_origin("http://127.0.0.1:5500")
//!     .allow_methods(["GET", "POST"])
//!     .build()
//!     .unwrap();
//! let app: Router = Router::new()
//!     .route("/data", get(|| async { "{}" }))
//!     // .layer(auth_layer)
//!     .layer(cors.layer()); // last = outermost
//! # let _ = app;
//! ```
//!
//! Or wrap the finished router: outermost by construction, and cheaper. `Router::layer`
//! boxes every route once more for each layer added that way (two allocations per
//! request, whatever the layer); measured in BENCHMARKS.md, that boxing costs more than
//! corsgate's own work on a request.
//!
//! ```no_run
//! use axum::{extract::Request, routing::get, Router, ServiceExt};
//! use tower::Layer;
//!
//! # async fn serve() -> std::io::Result<()> {
//! let cors = corsgate::Config::new()
//!     .allow_origin("http://127.0.0.1:5500")
//!     .allow_methods(["GET", "POST"])
//!     .build()
//!     .unwrap();
//! let router = Router::new().route("/data", get(|| async { "{}" }));
//! let app = cors.layer().layer(router);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! // The request type names which `Service` impl to serve.
//! axum::serve(listener, ServiceExt::<Request>::into_make_service(app)).await
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use http::{Request, Response, StatusCode};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::policy::decision::Head;
use crate::policy::{CorsHeaders, Decision};
use crate::Cors;

/// Applies a [`Cors`] policy to a service. Cheap to clone.
#[derive(Clone, Debug)]
pub struct CorsLayer {
    cors: Cors,
}

impl CorsLayer {
    /// A layer for this policy handle; replacing the handle's policy affects every service
    /// the layer built.
    pub fn new(cors: Cors) -> Self {
        CorsLayer { cors }
    }

    /// The policy handle.
    pub fn cors(&self) -> &Cors {
        &self.cors
    }
}

impl<S> Layer<S> for CorsLayer {
    type Service = CorsService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CorsService {
            inner,
            cors: self.cors.clone(),
        }
    }
}

/// A service that answers preflights and adds CORS headers to the inner service's responses.
#[derive(Clone, Debug)]
pub struct CorsService<S> {
    inner: S,
    cors: Cors,
}

impl<S> CorsService<S> {
    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Unwraps the inner service.
    pub fn into_inner(self) -> S {
        self.inner
    }

    /// The policy handle.
    pub fn cors(&self) -> &Cors {
        &self.cors
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for CorsService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        // The policy guard is dropped before the inner service is called.
        let policy = self.cors.load();
        if !policy.needs_parts() {
            let decision = policy.decide_head(Head {
                method: req.method(),
                headers: req.headers(),
                parts: None,
            });
            drop(policy);
            return self.respond(decision, req);
        }
        // An origin predicate takes the request's `Parts`: take the request apart for it
        // (two moves of its head) and put it back together.
        let (parts, body) = req.into_parts();
        let decision = policy.decide(&parts);
        drop(policy);
        self.respond(decision, Request::from_parts(parts, body))
    }
}

impl<S> CorsService<S> {
    /// Answers the request itself or passes it on, as `decision` says.
    #[inline(always)]
    fn respond<ReqBody, ResBody>(
        &mut self,
        decision: Decision,
        req: Request<ReqBody>,
    ) -> ResponseFuture<S::Future>
    where
        S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    {
        let status = decision.respond();
        let headers = decision.into_headers();
        let kind = match status {
            Some(status) => Kind::Answer {
                status,
                headers: Some(headers),
            },
            None => Kind::Inner {
                future: self.inner.call(req),
                headers: Some(headers),
            },
        };
        ResponseFuture { kind }
    }
}

pin_project! {
    /// The response future of [`CorsService`].
    pub struct ResponseFuture<F> {
        #[pin]
        kind: Kind<F>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F> {
        Inner { #[pin] future: F, headers: Option<CorsHeaders> },
        Answer { status: StatusCode, headers: Option<CorsHeaders> },
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Inner { future, headers } => {
                let mut response = ready!(future.poll(cx))?;
                if let Some(h) = headers.take() {
                    h.apply_to(response.headers_mut());
                }
                Poll::Ready(Ok(response))
            }
            KindProj::Answer { status, headers } => {
                let mut response = Response::new(B::default());
                *response.status_mut() = *status;
                if let Some(h) = headers.take() {
                    h.apply_to(response.headers_mut());
                }
                Poll::Ready(Ok(response))
            }
        }
    }
}
