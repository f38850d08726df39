mod cluster;
mod harness;
mod messages;
