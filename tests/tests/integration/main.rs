mod cluster;
mod harness;
mod topics;
