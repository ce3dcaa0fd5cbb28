//! Notifications: what a member should know about (mentions, shares,
//! records assigned to them), in
//! their own inbox. Nobody, whatever their role, sees another's.

mod deliver;
mod model;
pub mod push;
mod routes;
mod store;

pub use deliver::{preference_event, quiet_until, register_jobs};
pub use model::{ENTITY, NewNotification, Notification};
pub use routes::router;
pub use store::{create, delete_where_data};

use crate::realtime::{Event, to_payload};

/// The `notification.created` event of `n`: for its recipient only,
/// whatever the role of anyone else. Publish it after the commit.
pub fn event(n: &Notification) -> Event {
    Event::new(
        n.organization_id,
        "notification.created",
        ENTITY,
        n.id,
        to_payload(n),
    )
    .only_user(n.user_id)
}
