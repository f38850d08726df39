mod cluster;
mod groups;
mod harness;
