mod cluster;
mod harness;
mod profiles;
