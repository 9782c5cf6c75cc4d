import type { ReactNode } from "react";
import { SettingsNav } from "./settings-nav";

/** The settings area: the side menu, then the open section. */
export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="settings">
      <SettingsNav />
      <div className="settings-content">{children}</div>
    </div>
  );
}
