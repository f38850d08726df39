mod cluster;
mod groups;
mod harness;
mod messages;
mod topics;
