// What the current link carries besides the view: the address of a log it
// loads by itself (#src=), or records packed into it (#data=). Loading other
// files by hand makes the link name those files instead.

export const carried: { src?: string; data?: string } = {};

export function setCarried(next: { src?: string; data?: string }): void {
  carried.src = next.src;
  carried.data = next.data;
}
