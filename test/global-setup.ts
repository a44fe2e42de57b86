// Replaced by the embedded-stack setup (foundation work in progress).
export default async function setup() {}
