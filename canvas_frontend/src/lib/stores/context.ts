import { getContext, setContext } from "svelte";
import type { ProjectStore } from "./project.svelte";

const KEY = Symbol("project-store");

export function provideProject(store: ProjectStore): void {
  setContext(KEY, store);
}

export function useProject(): ProjectStore {
  return getContext<ProjectStore>(KEY);
}
