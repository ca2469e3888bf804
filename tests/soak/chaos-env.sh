# tests/soak/chaos-env.sh: sourced by soak.sh and chaos-leaks.sh. The application under
# Xvfb with chaos on and a home of its own: settings in memory, autosaves and caches in the
# scratch folder the caller made ($scratch), the schema from the build ($build_dir), never
# the file handed to a Neural Lab already running on the session bus.
case $build_dir in
  /*) export GSETTINGS_SCHEMA_DIR=$build_dir/data ;;
  *) export GSETTINGS_SCHEMA_DIR=$PWD/$build_dir/data ;;
esac
export GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 LC_ALL=C.UTF-8
export GSETTINGS_BACKEND=memory
export XDG_STATE_HOME=$scratch/state XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache
export DBUS_SESSION_BUS_ADDRESS=disabled:
export NEURAL_LAB_CHAOS=1 NEURAL_LAB_AUTOSAVE_SECONDS=${NEURAL_LAB_AUTOSAVE_SECONDS:-30}
