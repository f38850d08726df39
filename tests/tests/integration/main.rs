mod cluster;
mod harness;
