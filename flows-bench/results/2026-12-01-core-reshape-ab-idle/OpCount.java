import ai.djl.Model;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.pytorch.jni.JniUtils;
import io.github.djlflows.bench.BenchModels;

public class OpCount {
    public static void main(String[] a) throws Exception {
        String family = a[0]; int dim = Integer.parseInt(a[1]); int batch = Integer.parseInt(a[2]);
        try (Model model = Model.newInstance("p")) {
            Block flow = BenchModels.flow(family, dim, 8);
            model.setBlock(flow);
            NDManager m = model.getNDManager();
            NDArray x = m.randomNormal(new Shape(batch, dim));
            flow.initialize(m, DataType.FLOAT32, x.getShape());
            for (int i = 0; i < 3; i++) try (NDManager s = m.newSubManager()) { NDArray xx = x.duplicate(); xx.attach(s); flow.forward(new ParameterStore(s, false), new NDList(xx), false); }
            JniUtils.startProfile(false, false, false);
            try (NDManager s = m.newSubManager()) { NDArray xx = x.duplicate(); xx.attach(s); flow.forward(new ParameterStore(s, false), new NDList(xx), false); }
            JniUtils.stopProfile(a[3]);
        }
    }
}
