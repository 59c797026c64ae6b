//! The gateway's response body: the upstream's, streamed, or one the gateway writes itself.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;

/// A response body. Never buffered whole: an upstream's body is passed on frame by frame.
#[derive(Debug, Default)]
pub enum Body {
    /// No body (a preflight answered by the gateway, a 204, a HEAD).
    #[default]
    Empty,
    /// A short body the gateway writes (its own errors, the admin pages).
    Full(Option<Bytes>),
    /// The upstream's body, streamed, with the guard that keeps its client connection
    /// counted as busy until the body ends.
    Upstream {
        /// The upstream's body.
        body: Incoming,
        /// Dropped with the body.
        _busy: Option<Busy>,
    },
}

impl Body {
    /// A body of the given bytes.
    pub fn full(bytes: impl Into<Bytes>) -> Self {
        Body::Full(Some(bytes.into()))
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Body::Empty => Poll::Ready(None),
            Body::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Body::Upstream { body, .. } => Pin::new(body).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Empty => true,
            Body::Full(bytes) => bytes.is_none(),
            Body::Upstream { body, .. } => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Empty => SizeHint::with_exact(0),
            Body::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Upstream { body, .. } => body.size_hint(),
        }
    }
}

/// Counts one request as in flight on its client connection until dropped (the connection's
/// idle timer does not run while a request is in flight).
#[derive(Debug)]
pub struct Busy(Arc<AtomicUsize>);

impl Busy {
    /// One more request in flight on `counter`.
    pub fn new(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Busy(Arc::clone(counter))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}
