"""The system designer: an ipycanvas editor of design files (model, routing, drawing, widget)."""

from cryogen_widgets.designer.editor import Designer
from cryogen_widgets.designer.model import DesignerModel, empty_design
from cryogen_widgets.designer.scene import Results

__all__ = ["Designer", "DesignerModel", "Results", "empty_design"]
