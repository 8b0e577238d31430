//! A list read from the service and not decoded yet. Decoding is most of what reading a list
//! costs the app (a list of 1,000 backends is about 2 MB of JSON), and a poller mostly reads the
//! same bytes again: it keeps the last [`Listing::digest`] it decoded and decodes a listing only
//! when its digest moved. [`Session::list_backends`] and [`Session::list_pools`] read and decode
//! in one call.

use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use reqwest::Method;
use tokio_util::sync::CancellationToken;

use crate::http::Reply;
use crate::session::Session;
use crate::Result;

/// A digest of a listing's bytes, kept in memory only: equal bytes, equal digests; different
/// bytes, different digests but with odds of 2^-64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListingDigest(u64);

impl ListingDigest {
    /// The digest as a number (to keep or compare beside others).
    pub fn value(self) -> u64 {
        self.0
    }
}

/// The successful answer to a list read, the `T`s still in their bytes. `Listing<Backend>`
/// and `Listing<Pool>` each decode their own way (`decode`).
pub struct Listing<T> {
    pub(crate) reply: Reply,
    of: PhantomData<fn() -> T>,
}

impl<T> Listing<T> {
    /// What the bytes are, for comparing with the last listing decoded.
    pub fn digest(&self) -> ListingDigest {
        // `DefaultHasher::new()` has fixed keys: two reads of the same bytes agree.
        let mut hasher = std::hash::DefaultHasher::new();
        self.reply.body.hash(&mut hasher);
        ListingDigest(hasher.finish())
    }
}

impl<T> std::fmt::Debug for Listing<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listing")
            .field("target", &self.reply.target)
            .field("bytes", &self.reply.body.len())
            .finish()
    }
}

impl Session {
    /// `GET path`, as a listing when the service answers 2xx; its error otherwise.
    pub(crate) async fn listing<T>(
        &self,
        path: &str,
        cancel: &CancellationToken,
    ) -> Result<Listing<T>> {
        let reply = self.call(Method::GET, path, &[], None, cancel).await?;
        if !reply.is_success() {
            return Err(reply.error());
        }
        Ok(Listing {
            reply,
            of: PhantomData,
        })
    }
}
